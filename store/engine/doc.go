// Package engine is the product's one workflow, shared by the CLI and the
// TUI: it brings the cloud (api) and the local state (store) together to
// list targets, fetch a certificate, store it, write it into a kubeconfig,
// import, renew, revoke and export, and answer the exec plugin.
//
// Front ends call the engine, never api and store to do these by hand; the
// engine returns values and errors, never prints and reads no flags. An
// error that the user can act on carries a Hint (see HintError), which
// each front end words for itself: a flag for the CLI, a key for the TUI.
package engine

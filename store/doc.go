// Package store is the operator's local state: the inventory cache, issued
// credentials (private keys encrypted at rest with age), an append-only events
// log, the configuration file, and safe kubeconfig writing.
//
// Everything that reads the clock takes it injected; nothing here prints. Key
// material leaves the store only through Store.Key and Store.Token, for the
// caller to put into a kubeconfig, an export or an ExecCredential.
package store

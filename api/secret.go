package api

import "fmt"

// Secret holds key material or a token. It never prints itself: String,
// GoString and every fmt verb give "[redacted]", so a Secret that slips into
// a log line, an error or a %v of a struct leaks nothing.
type Secret []byte

const redacted = "[redacted]"

// String implements fmt.Stringer.
func (Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v).
func (Secret) GoString() string { return redacted }

// Format implements fmt.Formatter for every verb (%s, %v, %+v, %x, %q …).
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalText keeps encoders (JSON, YAML) from writing the secret out.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal returns the raw bytes. Call it only where the secret must leave the
// process on purpose: a kubeconfig, an export, an ExecCredential, the store.
func (s Secret) Reveal() []byte { return []byte(s) }

// Empty reports whether no secret is held.
func (s Secret) Empty() bool { return len(s) == 0 }

package assets

import _ "embed"

// DefaultConfig is the default configuration file (YAML), every field
// documented; the store parses it before the operator's own file.
//
//go:embed default-config.yaml
var DefaultConfig []byte

// Package assets holds the data embedded in the binary: the emulator's demo
// inventory and the default configuration.
package assets

import _ "embed"

// DemoInventory is the emulator's demo inventory (YAML).
//
//go:embed demo-inventory.yaml
var DemoInventory []byte

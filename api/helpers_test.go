package api

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// assertClean fails if an error text holds a secret or key material.
func assertClean(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range append(secrets, "BEGIN", "PRIVATE KEY", "client-key-data") {
		if s != "" && strings.Contains(msg, s) {
			t.Fatalf("error text contains %q: %s", s, msg)
		}
	}
}

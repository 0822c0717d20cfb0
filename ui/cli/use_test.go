package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// foreignKubeconfig is a second $KUBECONFIG file of the operator's.
const foreignKubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: kind
  cluster:
    server: https://127.0.0.1:6443
users:
- name: kind
  user:
    token: kind-token
contexts:
- name: kind-kind
  context:
    cluster: kind
    user: kind
current-context: kind-kind
`

// TestCLIUse: `ccecert use` lists every context of $KUBECONFIG in a pipe,
// switches to a foreign one and back with "-", writing current-context
// to the first file (where kubectl writes it), and refuses an unknown
// name with one line, changing nothing.
func TestCLIUse(t *testing.T) {
	c := newDemoCLI(t)
	c.fetch("prod-web")
	other := filepath.Join(c.home, "other.yaml")
	if err := os.WriteFile(other, []byte(foreignKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	c.vars["KUBECONFIG"] = c.kubeconfig + string(os.PathListSeparator) + other
	list := c.ok("use").stdout
	if !strings.Contains(list, "  kind-kind") || !strings.Contains(list, "* prod-web-internal") {
		t.Fatalf("use in a pipe lists:\n%s", list)
	}
	out := c.ok("use", "kind-kind").stdout // the second file's: written to the first
	if !strings.Contains(out, "Switched to context kind-kind") || readKubeconfig(t, c.kubeconfig).CurrentContext != "kind-kind" {
		t.Fatalf("use kind-kind: %s; current-context %q", out, readKubeconfig(t, c.kubeconfig).CurrentContext)
	}
	if got, _ := os.ReadFile(other); string(got) != foreignKubeconfig {
		t.Fatal("the second file was written")
	}
	c.ok("use", "-")
	if cur := readKubeconfig(t, c.kubeconfig).CurrentContext; cur != "prod-web-internal" {
		t.Fatalf("use -: current-context %q", cur)
	}
	before := c.snapshot()
	r := c.run("use", "nope")
	oneLineError(t, "use nope", r)
	assertUnchanged(t, "use nope", before, c.snapshot())
}

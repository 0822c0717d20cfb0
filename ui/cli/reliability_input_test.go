package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api/emulator"
	"ccecert/store"
)

// relHostileName is a cluster name a hostile or broken cloud could send.
const relHostileName = "\x1b[31mred\x1b]52;c;ZXZpbA==\x07"

// relHostileInventory serves clusters named with escape sequences and a
// path traversal, beside a plain one.
func relHostileInventory() *emulator.Inventory {
	return &emulator.Inventory{
		Domain: emulator.Domain{Name: "rel-cloud"}, User: emulator.User{Name: "rel-user"},
		Projects: []emulator.Project{{Name: "cn-north-4"}, {Name: "cn-east-3"}},
		Clusters: []emulator.Cluster{
			{Name: relHostileName, Project: "cn-north-4", Version: "v1.31", EIP: true},
			{Name: "../../etc/x", Project: "cn-north-4", Version: "v1.31"},
			{Name: "plain", Project: "cn-east-3", Version: "v1.31"},
		},
	}
}

// runIn runs ccecert in-process with stdin.
func (e *relEnv) runIn(stdin io.Reader, args ...string) relResult {
	var out, errb bytes.Buffer
	en := env{getenv: func(k string) string { return e.vars[k] }, now: time.Now, stdin: stdin, stdout: &out, stderr: &errb, deps: testDeps}
	return relResult{code: execute(context.Background(), en, args), stdout: out.String(), stderr: errb.String()}
}

func TestReliabilityHostileNamesFromTheCloud(t *testing.T) {
	relLeakCheck(t)
	e := newRelEnv(t, emulator.Options{Inventory: relHostileInventory()})
	before := relTree(t, e.root)
	table := e.must("list", "--refresh")
	js := e.must("list", "-o", "json")
	got := e.must("get", relHostileName, "--duration", "1", "--context", "both")
	trav := e.must("get", "../../etc/x", "--duration", "1")
	outs := map[string]relResult{"list": table, "list -o json": js, "get hostile": got, "get ../../etc/x": trav}
	for _, args := range [][]string{{"status"}, {"status", "-o", "json"}, {"status", "--all"}, {"renew", "--dry-run", "--within", "30d"},
		{"renew", "--yes", "--within", "30d"}, {"scan"}, {"list"}} {
		outs[strings.Join(args, " ")] = e.run(args...)
	}
	for name, r := range outs {
		if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("%s: an escape from a cluster name reached the output:\n%q\n%q", name, r.stdout, r.stderr)
		}
	}
	for _, name := range []string{"list", "status"} {
		if !strings.Contains(outs[name].stdout, "\uFFFD[31mred\uFFFD]52;c;") {
			t.Errorf("%s does not show the hostile name made visible:\n%s", name, outs[name].stdout)
		}
	}
	var views []targetView
	if err := json.Unmarshal([]byte(js.stdout), &views); err != nil || !slices.ContainsFunc(views, func(v targetView) bool { return v.Name == relHostileName }) {
		t.Errorf("list -o json lost the exact name (JSON escapes it, no need to alter it): %v", err)
	}
	// The traversal is a name, never a path: nothing was created but the
	// kubeconfig, its backup, its original copy and the store.
	for p := range relTree(t, e.root) {
		kept := p == e.kube || p == e.kube+".bak" || p == e.kube+store.OrigSuffix
		if _, ok := before[p]; !ok && !kept && !strings.HasPrefix(p, e.data+string(filepath.Separator)) {
			t.Errorf("new file %s", p)
		}
	}
	cfg, err := clientcmd.LoadFromFile(e.kube)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Contexts["../../etc/x-internal"]; !ok {
		t.Errorf("no context for ../../etc/x: %v", relKeys(cfg.Contexts))
	}
	for name := range cfg.Contexts {
		if strings.ContainsAny(name, "\x1b\x07") {
			t.Errorf("kubeconfig context name %q carries a raw escape from the cloud (kubectl config get-contexts prints it as is)", name)
		}
	}
}

func relKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// relBadCase is one hostile input: exit 1, a message naming the problem,
// nothing changed.
type relBadCase struct {
	name  string
	args  []string
	stdin []byte
	want  string // in stderr
}

func TestReliabilityBadInputChangesNothing(t *testing.T) {
	relLeakCheck(t)
	e := newRelEnv(t, emulator.Options{})
	e.must("list", "--refresh")
	id := strings.TrimSpace(e.must("get", "prod-payments", "--duration", "1", "-q").stdout)
	dir := t.TempDir() // the inputs, outside the tree checked for changes
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	huge := bytes.Repeat([]byte("# padding\n"), 17<<20/10)
	if err := os.Symlink(e.kube, filepath.Join(dir, "link-to-kubeconfig")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	cases := []relBadCase{
		{"import over 16 MiB", []string{"import", file("huge.yaml", huge)}, nil, "over the 16 MiB limit"},
		{"import over 16 MiB from stdin", []string{"import", "-"}, huge, "over the 16 MiB limit"},
		{"import a device", []string{"import", "/dev/zero"}, nil, "not a regular file"},
		{"import a directory", []string{"import", dir}, nil, "not a regular file"},
		{"import deep YAML nesting", []string{"import", file("deep.yaml", []byte("clusters: "+strings.Repeat("[", 200000)))}, nil, "import"},
		{"import deep YAML mappings", []string{"import", file("deepmap.yaml", relDeepMapping(20000))}, nil, "import"},
		{"import wrong types", []string{"import", file("types.yaml", []byte("apiVersion: 1\nclusters: {a: 1}\nusers: 7\n"))}, nil, "import"},
		{"import wrong field type", []string{"import", file("types2.json", []byte(`{"users":[{"name":"u","user":{"client-certificate-data":5}}]}`))}, nil, "import"},
		{"import non-UTF-8", []string{"import", file("latin1.yaml", []byte("apiVersion: v1\nusers:\n- name: \xe9\xff\xfe\n"))}, nil, "import"},
		{"import NUL bytes", []string{"import", file("nul.yaml", []byte("apiVersion: v1\x00\nclusters: []\x00\n"))}, nil, "import"},
		{"import empty", []string{"import", file("empty.yaml", nil)}, nil, "empty"},
		{"duration negative", []string{"get", "prod-web", "--duration", "-5"}, nil, "out of range"},
		{"duration overflowing", []string{"get", "prod-web", "--duration", "99999999999999999999d"}, nil, "too long"},
		{"duration weeks overflowing", []string{"get", "prod-web", "--duration", "9999999999999w"}, nil, "duration"},
		{"expire-at year 1", []string{"get", "prod-web", "--expire-at", "0001-01-01T00:00:00Z"}, nil, "15 minutes"},
		{"expire-at year 1, local date", []string{"get", "prod-web", "--expire-at", "0001-01-02"}, nil, "15 minutes"},
		{"expire-at year 9999", []string{"get", "prod-web", "--expire-at", "9999-12-31T23:59:59Z"}, nil, "5 years"},
		{"within negative", []string{"status", "--within", "-1d"}, nil, "not a duration"},
		{"within overflowing days", []string{"status", "--within", "999999999d"}, nil, "too long"},
		{"within overflowing weeks", []string{"renew", "--yes", "--within", "2147483647w"}, nil, "too long"},
		{"export over the kubeconfig", []string{"export", id, "--file", e.kube}, nil, "choose a new file name"},
		{"export through ../ onto the kubeconfig", []string{"export", id, "--file", filepath.Join(e.root, "tmp", "..", "home", ".kube", "config")}, nil, "choose a new file name"},
		{"export through a symlink to the kubeconfig", []string{"export", id, "--file", filepath.Join(dir, "link-to-kubeconfig")}, nil, "choose a new file name"},
		{"export through a dangling symlink", []string{"export", id, "--file", filepath.Join(dir, "dangling")}, nil, "choose a new file name"},
		{"export into a missing dir", []string{"export", id, "--file", filepath.Join(dir, "no", "such", "dir", "x.yaml")}, nil, "no such file"},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			files, creds := relTree(t, e.root), e.relCredentialIDs()
			r := e.runIn(bytes.NewReader(tc.stdin), tc.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, want 1 and %q on stderr\nstdout: %.300q\nstderr: %.500q", r.code, tc.want, r.stdout, r.stderr)
			}
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; n > 3 || len(r.stderr) > 1000 {
				t.Errorf("the message is not clear and short (%d lines, %d bytes): %.300q", n, len(r.stderr), r.stderr)
			}
			after := relTree(t, e.root)
			for p, sum := range files {
				if after[p] != sum && !strings.HasPrefix(p, e.data+string(filepath.Separator)) {
					t.Errorf("%s changed", p)
				}
			}
			for p := range after {
				if _, ok := files[p]; !ok && !strings.HasPrefix(p, e.data+string(filepath.Separator)) {
					t.Errorf("%s created", p)
				}
			}
			if now := e.relCredentialIDs(); !slices.Equal(now, creds) {
				t.Errorf("credentials changed: %v → %v", creds, now)
			}
		})
	}
}

// relDeepMapping is a YAML document with mappings nested n deep.
func relDeepMapping(n int) []byte {
	return []byte("apiVersion: v1\nusers: " + strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n) + "\n")
}

// relCredentialIDs lists every stored credential with its state.
func (e *relEnv) relCredentialIDs() []string {
	st := e.openStore()
	defer st.Close()
	all, err := st.Credentials(context.Background(), store.Filter{All: true})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, c := range all {
		out = append(out, c.ID+"/"+c.ReplacedBy+"/"+c.RevokedAt.String()+"/"+strings.Join(c.Contexts, ","))
	}
	slices.Sort(out)
	return out
}

func TestReliabilityClockSkewIsFlagged(t *testing.T) {
	// The cloud's clock runs 10 minutes ahead (within the signature's 15
	// minute tolerance): certificates start in this machine's future.
	ahead := func() time.Time { return time.Now().Add(10 * time.Minute) }
	e := newRelEnv(t, emulator.Options{Now: ahead})
	e.must("list", "--refresh")
	e.must("get", "prod-web", "--duration", "30")
	r := e.run("status", "-o", "json")
	var views []credView
	if err := json.Unmarshal([]byte(r.stdout), &views); err != nil || len(views) != 1 {
		t.Fatalf("status -o json: %v\n%s", err, r.stdout)
	}
	if v := views[0]; r.code != 3 || v.Health == "ok" || v.Health != "warning" || !v.NotYetValid {
		t.Errorf("not-yet-valid certificate: exit %d, health %q, not_yet_valid %v; want exit 3, warning, true", r.code, v.Health, v.NotYetValid)
	}
	tbl := e.run("status")
	if tbl.code != 3 || !strings.Contains(tbl.stdout, "NOTYET") || strings.Contains(tbl.stdout, " OK ") {
		t.Errorf("status table: exit %d\n%s", tbl.code, tbl.stdout)
	}
	st := e.openStore()
	defer st.Close()
	creds, err := st.Credentials(context.Background(), store.Filter{})
	if err != nil || len(creds) != 1 {
		t.Fatal(err)
	}
	if h := creds[0].Health(time.Now(), store.DefaultThresholds()); h != store.HealthNotYet {
		t.Errorf("store health %v, want notyet", h)
	}
	if h := creds[0].Health(ahead().Add(time.Minute), store.DefaultThresholds()); h != store.HealthOK {
		t.Errorf("store health once the clocks agree: %v, want ok", h)
	}
}

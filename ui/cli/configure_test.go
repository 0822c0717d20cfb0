package cli

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// TestConfigureStoresTheSKEncrypted: `ccecert configure` checks the keys
// with IAM and stores them; afterwards the SK is nowhere under HOME (the
// data dir with its DB and WAL, the config, the kubeconfig) nor in any
// output, in plaintext, base64 or hex. Keys that do not work are not
// stored. Without the identity, the store says to restore it, and nothing
// is lost.
func TestConfigureStoresTheSKEncrypted(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	ak, sk := c.vars["CLOUD_SDK_AK"], c.vars["CLOUD_SDK_SK"]
	delete(c.vars, "CLOUD_SDK_AK")
	delete(c.vars, "CLOUD_SDK_SK")
	cfgFile := filepath.Join(c.vars["XDG_CONFIG_HOME"], "ccecert", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfgFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgFile, []byte("# the operator's config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var outputs []string

	if r := c.runIn(strings.NewReader(""), "configure", "--profile", "work"); r.code == 0 || !strings.Contains(r.stderr, `profile "work": no access key given`) {
		t.Fatalf("no AK: exit %d\n%s", r.code, r.stderr)
	}
	if r := c.runIn(strings.NewReader(ak+"\n"), "configure", "--profile", "work"); r.code == 0 || !strings.Contains(r.stderr, `profile "work": no secret key given`) {
		t.Fatalf("no SK: exit %d\n%s", r.code, r.stderr)
	}
	bad := c.runIn(strings.NewReader(ak+"\nnot-the-secret-key-000000\n"), "configure", "--profile", "work")
	outputs = append(outputs, bad.stdout, bad.stderr)
	lines := strings.Split(strings.TrimSpace(bad.stderr), "\n")
	last := lines[len(lines)-1]
	if bad.code == 0 || !strings.HasPrefix(last, `ccecert: profile "work": the keys were not stored`) || !strings.Contains(last, "configure (the keys typed in)") {
		t.Fatalf("wrong SK: exit %d\n%s", bad.code, bad.stderr)
	}

	r := c.runIn(strings.NewReader(ak+"\n"+sk+"\n"), "configure", "--profile", "work")
	outputs = append(outputs, r.stdout, r.stderr)
	if r.code != 0 || !strings.Contains(r.stdout, "Profile work: the keys work") {
		t.Fatalf("configure: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, out := range outputs {
		if strings.Contains(out, ak) {
			t.Fatal("an output shows the AK")
		}
	}
	needles := []string{sk, base64.StdEncoding.EncodeToString([]byte(sk)), base64.RawStdEncoding.EncodeToString([]byte(sk)),
		base64.URLEncoding.EncodeToString([]byte(sk)), hex.EncodeToString([]byte(sk)), strings.ToUpper(hex.EncodeToString([]byte(sk)))}
	files := 0
	_ = filepath.WalkDir(c.home, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		for _, n := range needles {
			if strings.Contains(string(data), n) {
				t.Errorf("%s holds the SK", p)
			}
		}
		return nil
	})
	for i, out := range outputs {
		for _, n := range needles {
			if strings.Contains(out, n) {
				t.Errorf("output %d holds the SK", i)
			}
		}
	}
	if files < 3 { // the DB (its WAL is folded in at close; store's own test scans it open), the identity, the config
		t.Fatalf("only %d files under HOME", files)
	}

	// The identity gone: a clear error; back: the keys are there.
	var id string
	_ = filepath.WalkDir(c.home, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "age-identity.txt" {
			id = p
		}
		return err
	})
	if id == "" {
		t.Fatal("no identity file")
	}
	if err := os.Rename(id, id+".aside"); err != nil {
		t.Fatal(err)
	}
	gone := c.runIn(strings.NewReader(ak+"\n"+sk+"\n"), "configure", "--profile", "work")
	if gone.code == 0 || !strings.Contains(gone.stderr, "restore it") {
		t.Fatalf("without the identity: exit %d\n%s", gone.code, gone.stderr)
	}
	if err := os.Rename(id+".aside", id); err != nil {
		t.Fatal(err)
	}
	paths, err := store.DefaultPaths(c.getenv)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), paths.DataDir, store.Options{Getenv: c.getenv})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k, err := st.StoredKeys("work").Keys(t.Context())
	if err != nil || k.AK != ak || string(k.SK) != sk {
		t.Fatalf("the stored keys after the identity came back: %v", err)
	}
	// The stored source signs for the emulator.
	client, err := api.New(api.Config{Keys: st.StoredKeys("work"), Endpoint: c.vars[api.EnvEndpoint],
		CAFile: c.vars[api.EnvCAFile], UserAgent: "ccecert/test"})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.Projects(t.Context()); err != nil {
		t.Fatalf("the stored source: %v", err)
	}
}

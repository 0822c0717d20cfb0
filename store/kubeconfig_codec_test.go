package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/yaml"
)

// The fast kubeconfig codec (scanYAML, emitYAML, the JSON codec) must give
// exactly what the slow one gives: clientcmd.Write's bytes, clientcmd.Load's
// Config. These tests compare them on generated and hand-written
// kubeconfigs, and check that the fast path does take the usual files.

// oldLoad is loadKubeconfig as it was before the fast path: YAML→JSON,
// the checks, JSON again, clientcmd.Load.
func oldLoad(t testing.TB, data []byte) (*clientcmdapi.Config, error) {
	t.Helper()
	if len(bytes.TrimSpace(data)) == 0 {
		return clientcmdapi.NewConfig(), nil
	}
	m, err := slowTree(data)
	if err != nil || m == nil {
		return clientcmdapi.NewConfig(), err
	}
	if !hasKubeconfigKey(m) {
		return nil, fmt.Errorf("not a kubeconfig")
	}
	if err := normaliseBools(m); err != nil {
		return nil, err
	}
	js, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return clientcmd.Load(js)
}

// scalarPieces are the bits random strings are made of: what makes go-yaml
// quote, escape, fold or resolve a scalar differently.
var scalarPieces = []string{
	"a", "b", "Z", "x1", "0", "12", "-", "_", ".", "/", ":", " ", "  ", ": ", " #", "#", "'", "''", `"`, `\`,
	"yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", "NULL", "<<", "é", "中文", "😀", "\t", "\n",
	"\r", "\u0085", "\u2028", "\ufeff", "\x7f", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "?",
	",", "---", "...", "https://", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "cce-00001-internal",
	"this context runs `ccecert credential`", " word", " another", " longer-word",
}

// tamePieces are the bits the fast path handles itself: quoting, folding,
// YAML 1.1 words, unicode of the basic plane.
var tamePieces = []string{
	"1", "127.0.0.1", "2024-01-02", "2024-1-2 3:4:5", "0x1F", "0b101", "-0b1", "1_000", "1e3", ".5", ".inf", "-.Inf", ".nan",
	"12:30:45", "+1", "-", "1.2.3", "v1.31", "0o17", "08",
	"a", "b", "Z", "x1", "0", "-", "_", ".", "/", ":", " ", ": ", "'", "''", `"`, "yes", "no", "on", "y", "true",
	"null", "~", "é", "中文", "[", "{", "&", "*", "!", "|", ">", "%", "@", "`", "?", ",", "https://",
	"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", " word", " another", " longer-word",
}

// randScalar is a random string, often harmless, sometimes long and
// spaced (folded at 80 columns), sometimes odd (tame: only what the fast
// path takes, mostly).
func randScalar(r *rand.Rand, tame bool) string {
	pieces := scalarPieces
	if tame {
		pieces = tamePieces
	}
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("name-%d", r.IntN(1000))
	case 1:
		var b strings.Builder
		for range 5 + r.IntN(40) {
			b.WriteString([]string{"put", "ccecert", "on", "PATH,", "or", "write", "the", "credential", "inline", "x"}[r.IntN(10)])
			b.WriteString([]string{" ", " ", " ", "  ", ": ", "'"}[r.IntN(6)])
		}
		return strings.TrimSpace(b.String())
	}
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// randConfig is a Config with random names and values in most fields a
// kubeconfig has, extensions (JSON, some with numbers) included.
func randConfig(r *rand.Rand) *clientcmdapi.Config {
	cfg := clientcmdapi.NewConfig()
	tame := r.IntN(3) > 0
	str := func() string { return randScalar(r, tame) }
	ext := func() map[string]runtime.Object {
		if r.IntN(3) > 0 {
			return nil
		}
		m := map[string]runtime.Object{}
		for range 1 + r.IntN(2) {
			var v any = map[string]any{"target": str(), "role": str()}
			if !tame && r.IntN(4) == 0 {
				v = map[string]any{"n": r.IntN(100), "list": []any{str(), true, nil}}
			}
			raw, _ := json.Marshal(v)
			m[str()] = &runtime.Unknown{Raw: raw, ContentType: runtime.ContentTypeJSON}
		}
		return m
	}
	for range r.IntN(5) {
		c := clientcmdapi.NewCluster()
		c.Server, c.TLSServerName, c.InsecureSkipTLSVerify = str(), str(), r.IntN(2) == 0
		if r.IntN(2) == 0 {
			c.CertificateAuthorityData = []byte(str() + strings.Repeat("CA", r.IntN(600)))
		}
		if r.IntN(4) == 0 {
			c.ProxyURL, c.CertificateAuthority, c.DisableCompression = str(), str(), true
		}
		c.Extensions = ext()
		cfg.Clusters[str()] = c
	}
	for range r.IntN(5) {
		u := clientcmdapi.NewAuthInfo()
		switch r.IntN(4) {
		case 0:
			u.ClientCertificateData, u.ClientKeyData = []byte(strings.Repeat("cert", r.IntN(300))), []byte(str())
		case 1:
			u.Token, u.Username, u.Password = str(), str(), str()
		case 2:
			u.Exec = &clientcmdapi.ExecConfig{APIVersion: ExecAPIVersion, Command: str(), Args: []string{str(), str()},
				Env: []clientcmdapi.ExecEnvVar{{Name: str(), Value: str()}}, InstallHint: str(), InteractiveMode: clientcmdapi.NeverExecInteractiveMode}
		case 3:
			u.AuthProvider = &clientcmdapi.AuthProviderConfig{Name: str(), Config: map[string]string{str(): str(), "id-token": str()}}
			u.Impersonate, u.ImpersonateGroups = str(), []string{str()}
			u.ImpersonateUserExtra = map[string][]string{str(): {str()}}
		}
		u.Extensions = ext()
		cfg.AuthInfos[str()] = u
	}
	for range r.IntN(6) {
		c := clientcmdapi.NewContext()
		c.Cluster, c.AuthInfo, c.Namespace = str(), str(), str()
		c.Extensions = ext()
		cfg.Contexts[str()] = c
	}
	if r.IntN(2) == 0 {
		cfg.CurrentContext = str()
	}
	cfg.Preferences.Colors = r.IntN(2) == 0
	cfg.Preferences.Extensions = ext()
	cfg.Extensions = ext()
	return cfg
}

// TestEncodeKubeconfigIsClientcmdWrite: encodeKubeconfig gives
// clientcmd.Write's bytes, and emitYAML writes the common configs itself.
func TestEncodeKubeconfigIsClientcmdWrite(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	const n = 3000
	for i := range n {
		cfg := randConfig(r)
		want, werr := clientcmd.Write(*cfg)
		got, gerr := encodeKubeconfig(cfg)
		if (werr != nil) != (gerr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("config %d: encodeKubeconfig differs from clientcmd.Write (%v, %v)\n--- got\n%s\n--- want\n%s", i, gerr, werr, got, want)
		}
		if _, ok := emitOf(t, cfg); ok {
			fast++
		}
	}
	if fast < n/5 {
		t.Errorf("emitYAML wrote %d of %d random configs itself; it should write most plain ones", fast, n)
	}
	t.Logf("emitYAML wrote %d of %d random configs itself", fast, n)
}

// emitOf is emitYAML of cfg's JSON.
func emitOf(t *testing.T, cfg *clientcmdapi.Config) ([]byte, bool) {
	t.Helper()
	c := *cfg
	js, err := runtime.Encode(kubeJSONCodec, &c)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return emitYAML(doc)
}

// TestParseKubeconfigIsClientcmdLoad: parseKubeconfig gives the Config the
// old path gives, on random configs as clientcmd writes them, and reads
// them through scanYAML when they hold nothing it leaves to go-yaml.
func TestParseKubeconfigIsClientcmdLoad(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	scanned := 0
	const n = 3000
	for i := range n {
		data, err := clientcmd.Write(*randConfig(r))
		if err != nil {
			continue // a string go-yaml cannot write
		}
		doc := checkSameParse(t, fmt.Sprintf("config %d", i), data)
		if doc.scanned {
			scanned++
		}
	}
	if scanned < n/5 {
		t.Errorf("scanYAML read %d of %d random configs; it should read most plain ones", scanned, n)
	}
	t.Logf("scanYAML read %d of %d random configs", scanned, n)
}

// checkSameParse fails unless parseKubeconfig and the old path agree on
// data (the same Config, or both an error), and, where scanYAML reads it,
// on the tree and on what a rewrite drops.
func checkSameParse(t *testing.T, name string, data []byte) kubeDoc {
	t.Helper()
	want, werr := oldLoad(t, data)
	doc, gerr := parseKubeconfig(data)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s: old error %v, new error %v\n%s", name, werr, gerr, data)
	}
	if werr != nil {
		return doc
	}
	if !reflect.DeepEqual(doc.cfg, want) {
		t.Fatalf("%s: parseKubeconfig differs from clientcmd.Load\n--- got\n%#v\n--- want\n%#v\n%s", name, doc.cfg, want, data)
	}
	if tree, ok := scanYAML(data); ok {
		slow, err := slowTree(data)
		if err != nil || !reflect.DeepEqual(tree, slow) {
			t.Fatalf("%s: scanYAML read %#v, go-yaml %#v (%v)\n%s", name, tree, slow, err, data)
		}
	}
	if got, want := doc.lost(data), lostContent(data); got != want {
		t.Fatalf("%s: a rewrite drops %q, lostContent says %q\n%s", name, got, want, data)
	}
	return doc
}

// handKubeconfigs are kubeconfigs as people and other tools write them:
// what scanYAML must read exactly, or leave to go-yaml.
var handKubeconfigs = []string{
	"apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: \"\"\npreferences: {}\n",
	"apiVersion: v1\nkind: Config\n# a comment\nclusters:\n- name: a # trailing\n  cluster: {server: 'https://a'}\n",
	"clusters:\n  - name: indented\n    cluster:\n      server: https://a\n",
	"clusters:\n- name: a\n  cluster:\n    server: https://a\n    insecure-skip-tls-verify: \"false\"\n",
	"clusters:\n- name: a\n  cluster:\n    server: https://a\n    insecure-skip-tls-verify: yes\n",
	"clusters:\n- name: a\n  cluster:\n    server: https://a\n    insecure-skip-tls-verify: 'true'\n",
	"clusters:\n- name: a\n  cluster:\n    server: https://a\n    insecure-skip-tls-verify: \"\"\n",
	"clusters:\n- name: a\n  cluster: &c\n    server: https://a\n- name: b\n  cluster: *c\n",
	"users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: gke-gcloud-auth-plugin\n      installHint: |\n        Install gke-gcloud-auth-plugin for use with kubectl by following\n          https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke\n      provideClusterInfo: true\n      interactiveMode: IfAvailable\n",
	"users:\n- name: u\n  user:\n    exec:\n      command: x\n      installHint: |-\n        line one\n\n        line three\n      args:\n      - a\n      - 'b c'\n      - \"d\\te\"\n",
	"users:\n- name: u\n  user:\n    token: a very long token value with spaces that the emitter folds past eighty columns, so\n      it continues on the next line\n",
	"users:\n- name: u\n  user:\n    token: 'a very long single-quoted token: with a colon that the emitter folds past eighty\n      columns, it''s quoted'\n",
	"users:\n- name: u\n  user:\n    username: 0123\n    password: 1e3\n",
	"users:\n- name: u\n  user:\n    username: 2001-12-14\n    password: .5\n",
	"users:\n- name: u\n  user:\n    token: ~\n",
	"contexts:\n- name: 'quoted: name'\n  context:\n    cluster: \"c\\u00e9\"\n    user: u\n    namespace: null\n",
	"contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    extensions:\n    - name: ccecert\n      extension:\n        target: cce/abc\n        role: internal\n        n: 5\n",
	"contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    extensions:\n    - name: ccecert\n      extension:\n        target: cce/abc\n        role: internal\n",
	"current-context: x\ncurrent-context: y\n",
	"current-context: x\n<<: {a: b}\n",
	"current-context: x\nbogus: 1\nother: two\n",
	"---\ncurrent-context: x\n",
	"current-context: x\n...\n",
	"{\"apiVersion\":\"v1\",\"kind\":\"Config\",\"clusters\":[{\"name\":\"a\",\"cluster\":{\"server\":\"https://a\"}}]}",
	"current-context: x\r\nkind: Config\r\n",
	"current-context: x\n\nkind: Config\n",
	"current-context:    x\n",
	"current-context: x \n",
	"kind: Config\ncurrent-context:\n",
	"kind: Config\nclusters:\n-\n  name: a\n",
	"kind: Config\nclusters:\n- - a\n",
	"kind: Config\nusers:\n- name: u\n  user:\n    as-groups:\n    - a\n    - b\n    as-user-extra:\n      k:\n      - v\n",
	"kind: Config\nextensions:\n- name: e\n  extension: {}\n",
	"kind: Config\nextensions:\n- name: e\n  extension: !!str x\n",
	"- a\n- b\n",
	"just a string\n",
	"kind: Config\n  indented: later\n",
	"kind: Config\nclusters:\n- name: a\n  cluster:\n    server: https://a\n   bad: indent\n",
	"kind: Config\ncurrent-context: \"a\\\"b\"\n",
	"kind: Config\ncurrent-context: 'unterminated\n",
	"kind: Config\ncurrent-context: \"unterminated\n",
	"kind: Config\ncurrent-context: a: b\n",
	"kind: Config\non: x\n",
	"kind: Config\n? complex\n: key\n",
	"apiVersion: v2\nkind: Config\ncurrent-context: x\n",
	"apiVersion: v1\nkind: Pod\ncurrent-context: x\n",
	"APIVERSION: v2\nkind: Config\ncurrent-context: x\n",
	"apiVersion: v1\nKind: Pod\ncurrent-context: x\n",
	"apiVersion: a/b/c\ncurrent-context: x\n",
	"apiVersion: apps/v1\nkind: Config\ncurrent-context: x\n",
	"apiVersion: null\nkind: null\ncurrent-context: x\n",
	"apiVersion: true\ncurrent-context: x\n",
	"apiVersion: {}\ncurrent-context: x\n",
}

// TestParseKubeconfigHandWritten: the hand-written corpus parses as it did.
func TestParseKubeconfigHandWritten(t *testing.T) {
	for i, s := range handKubeconfigs {
		checkSameParse(t, fmt.Sprintf("hand-written %d", i), []byte(s))
	}
	for _, s := range []string{handKubeconfigs[0], handKubeconfigs[8], handKubeconfigs[10], handKubeconfigs[11], handKubeconfigs[17]} {
		if _, ok := scanYAML([]byte(s)); !ok {
			t.Errorf("scanYAML left to go-yaml a kubeconfig it should read:\n%s", s)
		}
	}
}

// TestKubeconfigCodecBigFile: a kubeconfig of 500 contexts with RSA
// certificates, as kubectl writes it, takes the fast path both ways and
// round-trips to the same bytes.
func TestKubeconfigCodecBigFile(t *testing.T) {
	data := bigKubeconfig(t, newRSAFixture(t, 2), 500, false)
	doc := checkSameParse(t, "500 contexts", data)
	if !doc.scanned {
		t.Fatal("scanYAML did not read a kubeconfig as kubectl writes it")
	}
	if _, ok := emitOf(t, doc.cfg); !ok {
		t.Fatal("emitYAML did not write it")
	}
	out, err := encodeKubeconfig(doc.cfg)
	if err != nil || !bytes.Equal(out, data) {
		t.Fatalf("the round trip changed the file (%v)", err)
	}
}

// FuzzScanYAML: whatever scanYAML reads, go-yaml reads the same.
func FuzzScanYAML(f *testing.F) {
	for _, s := range handKubeconfigs {
		f.Add([]byte(s))
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		if data, err := clientcmd.Write(*randConfig(r)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, ok := scanYAML(data)
		if !ok {
			return
		}
		slow, err := slowTree(data)
		if err != nil || !reflect.DeepEqual(tree, slow) {
			t.Fatalf("scanYAML read %#v, go-yaml %#v (%v)\n%q", tree, slow, err, data)
		}
	})
}

// TestEmitYAMLScalars: scalars go-yaml v2 resolves, quotes or folds each
// its own way are written as sigs.k8s.io/yaml (go-yaml v2) writes them,
// as values, keys and list items.
func TestEmitYAMLScalars(t *testing.T) {
	long := strings.Repeat("word ", 30)
	for _, s := range []string{
		"", "a", "1", "-1", "+1", "1_000", "0x1F", "0o17", "017", "08", "0b101", "-0b101", "0b2", "1e3", "1e", "1.5", ".5", ".",
		".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1:20", "1:60", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
		"2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10 -5", "2001-1-2", "20011-12-14", "127.0.0.1", "::1", "fe80::1",
		"v1.31", "yes", "Yes", "YES", "yEs", "no", "on", "off", "y", "n", "~", "null", "Null", "nULL", "true", "TRUE", "tRUE",
		"<<", "-", "--", "---", "...", "- a", "a:", "a: b", "a #b", "a#b", "#a", "@a", "`a", "'a'", `"a"`, "a'b", "é", "中文",
		long, strings.TrimSpace(long), "x" + long + "y", "it's " + long, "a: " + long, "  lead", "trail  ",
	} {
		doc := map[string]any{"k": s, "list": []any{s}, "m": map[string]any{"x": s}}
		if len(s) <= 128 && s != "" {
			doc[s] = "v"
		}
		got, ok := emitYAML(doc)
		want, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if ok && !bytes.Equal(got, want) {
			t.Errorf("%q: emitYAML wrote\n%s\ngo-yaml\n%s", s, got, want)
		}
		for _, text := range []string{string(want), "k: " + s + "\n", "- " + s + "\n", s + ": v\n"} {
			if tree, ok := scanYAML([]byte(text)); ok {
				if slow, err := slowTree([]byte(text)); err != nil || !reflect.DeepEqual(tree, slow) {
					t.Errorf("%q: scanYAML read %#v, go-yaml %#v (%v)", text, tree, slow, err)
				}
			}
		}
		quotedSpaces := strings.Contains(s, " ") && !yamlPlainIsString(s) // double-quoted, and could fold: left to go-yaml
		if !ok && !quotedSpaces && s != "  lead" && s != "trail  " && !strings.Contains(s, `"`) {
			t.Errorf("%q: emitYAML left it to go-yaml", s)
		}
	}
}

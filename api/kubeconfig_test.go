package api

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestParseKubeconfigCCE(t *testing.T) {
	for _, kind := range []string{"ec", "pkcs8", "rsa"} {
		t.Run(kind, func(t *testing.T) {
			p := newTestPKI(t, kind)
			is, err := ParseKubeconfig(p.cceKubeconfigJSON(t, true))
			if err != nil {
				t.Fatal(err)
			}
			in, ok := is.Context(RoleInternal)
			if !ok || in.Server != "https://192.168.1.7:5443" || !bytes.Equal(in.CAData, p.caPEM) || in.InsecureSkipTLSVerify || in.ClusterName != "internalCluster" {
				t.Fatalf("internal context: %+v", in)
			}
			ex, ok := is.Context(RoleExternal)
			if !ok || !ex.InsecureSkipTLSVerify || len(ex.CAData) != 0 || ex.Name != "external" {
				t.Fatalf("external context: %+v", ex)
			}
			if is.CurrentContext != "external" || is.UserName != "user" || !bytes.Equal(is.CertPEM, p.certPEM) ||
				!bytes.Equal(is.Key.Reveal(), p.keyPEM) || !is.Token.Empty() {
				t.Fatalf("issued: current=%q user=%q", is.CurrentContext, is.UserName)
			}
		})
	}
}

func TestParseKubeconfigNoEIP(t *testing.T) {
	p := newTestPKI(t, "ec")
	is, err := ParseKubeconfig(p.cceKubeconfigJSON(t, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Contexts) != 1 || is.Contexts[0].Role != RoleInternal {
		t.Fatalf("contexts %+v", is.Contexts)
	}
	if _, ok := is.Context(RoleExternal); ok {
		t.Fatal("external context without EIP")
	}
}

func TestParseKubeconfigYAML(t *testing.T) {
	p := newTestPKI(t, "ec")
	y, err := yaml.JSONToYAML(p.cceKubeconfigJSON(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(bytes.TrimSpace(y), []byte("{")) {
		t.Fatal("test input is not YAML")
	}
	is, err := ParseKubeconfig(y)
	if err != nil {
		t.Fatal(err)
	}
	if ex, ok := is.Context(RoleExternal); !ok || !ex.InsecureSkipTLSVerify {
		t.Fatalf("YAML bool lost: %+v", is.Contexts)
	}
	// YAML with the UCS string form.
	y2 := bytes.Replace(y, []byte("insecure-skip-tls-verify: true"), []byte(`insecure-skip-tls-verify: "true"`), 1)
	if bytes.Equal(y, y2) {
		t.Fatal("replacement did not apply")
	}
	if is, err := ParseKubeconfig(y2); err != nil || !is.Contexts[1].InsecureSkipTLSVerify {
		t.Fatalf("YAML string bool: %v", err)
	}
}

func TestParseKubeconfigUCSStringBooleans(t *testing.T) {
	p := newTestPKI(t, "ec")
	for _, insecure := range []string{"false", "true", "False", "TRUE"} {
		is, err := ParseKubeconfig(p.ucsKubeconfigJSON(t, insecure, true, ""))
		if err != nil {
			t.Fatalf("insecure %q: %v", insecure, err)
		}
		c, ok := is.Context(RoleFederation)
		want := strings.EqualFold(insecure, "true")
		if !ok || c.InsecureSkipTLSVerify != want || c.Name != "demo" {
			t.Fatalf("insecure %q: %+v", insecure, c)
		}
		if !want && !bytes.Equal(c.CAData, p.caPEM) {
			t.Fatalf("CA lost for verifying context")
		}
	}
	if _, err := ParseKubeconfig(p.ucsKubeconfigJSON(t, "yes", true, "")); err == nil ||
		!strings.Contains(err.Error(), "insecure-skip-tls-verify") {
		t.Fatalf("insecure \"yes\": %v", err)
	}
}

func TestParseKubeconfigTokenOnly(t *testing.T) {
	p := newTestPKI(t, "ec")
	is, err := ParseKubeconfig(p.ucsKubeconfigJSON(t, "false", false, "eyJhbGciOi.token.value"))
	if err != nil {
		t.Fatal(err)
	}
	if string(is.Token.Reveal()) != "eyJhbGciOi.token.value" || len(is.CertPEM) != 0 || !is.Key.Empty() {
		t.Fatalf("token-only: token=%q cert=%d", is.Token.Reveal(), len(is.CertPEM))
	}
}

func TestParseKubeconfigRejects(t *testing.T) {
	p := newTestPKI(t, "ec")
	good := string(p.cceKubeconfigJSON(t, true))
	mismatch := strings.Replace(good, b64(p.keyPEM), b64(p.otherKeyPEM), 1)
	seeds := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "kubeconfig", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []struct{ name, data, want string }{
		{"seed 000 masked", seeds("seed000-masked.json"), "masked"},
		{"seed 001 empty", seeds("seed001-empty.json"), "neither a client certificate nor a token"},
		{"seed 003 sample", seeds("seed003-ucs-empty.json"), "not an https URL"},
		{"key mismatch", mismatch, "does not match"},
		{"http server", strings.Replace(good, "https://192.168.1.7", "http://192.168.1.7", 1), "not an https URL"},
		{"missing cluster", strings.Replace(good, `"cluster":"internalCluster"`, `"cluster":"nowhere"`, 1), "does not define"},
		{"bad base64", strings.Replace(good, b64(p.certPEM), "!!!notbase64!!!", 1), "not base64"},
		{"not PEM", strings.Replace(good, b64(p.certPEM), b64([]byte("hello")), 1), "not PEM"},
		{"bad CA", strings.Replace(good, b64(p.caPEM), b64([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")), 1), "CA"},
		{"cert without key", strings.Replace(good, `"client-key-data":"`+b64(p.keyPEM)+`"`, `"client-key-data":""`, 1), "without its key"},
		{"no contexts", `{"kind":"Config","clusters":[],"users":[],"contexts":[]}`, "no contexts"},
		{"wrong kind", `{"kind":"Pod"}`, "not a kubeconfig"},
		{"garbage", "hello world", "not a mapping"},
		{"broken json", `{"clusters": [`, "shape"},
		{"binary", "\x00\x01\x02\xff", "neither JSON nor YAML"},
		{"empty", "  ", "empty"},
		{"wrong types", `{"clusters":"x"}`, "wrong type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKubeconfig([]byte(tc.data))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q lacks %q", err, tc.want)
			}
			for _, secret := range []string{b64(p.keyPEM), b64(p.otherKeyPEM), string(p.keyPEM)} {
				if strings.Contains(err.Error(), secret) {
					t.Fatal("error contains key material")
				}
			}
		})
	}
}

func TestDecodeDataToleratesWrappedBase64(t *testing.T) {
	p := newTestPKI(t, "ec")
	enc := base64.StdEncoding.EncodeToString(p.certPEM)
	wrapped := enc[:20] + "\n" + enc[20:40] + " " + enc[40:]
	got, err := decodeData("client-certificate-data", wrapped)
	if err != nil || !bytes.Equal(got, p.certPEM) {
		t.Fatalf("wrapped base64: %v", err)
	}
}

func TestUserInfoNeverPrints(t *testing.T) {
	u := userInfo{KeyData: "S0VZ-material"}
	for _, s := range []string{sprintf("%v", u), sprintf("%+v", u), sprintf("%#v", u), sprintf("%s", u)} {
		if strings.Contains(s, "S0VZ") {
			t.Fatalf("userInfo printed key data: %s", s)
		}
	}
}

// FuzzParseKubeconfig feeds the parser arbitrary bytes: it must never
// panic, and whatever it accepts must be internally consistent.
func FuzzParseKubeconfig(f *testing.F) {
	p := newTestPKI(f, "ec")
	f.Add(p.cceKubeconfigJSON(f, true))
	f.Add(p.cceKubeconfigJSON(f, false))
	f.Add(p.ucsKubeconfigJSON(f, "false", true, ""))
	f.Add(p.ucsKubeconfigJSON(f, "true", false, "tok"))
	if y, err := yaml.JSONToYAML(p.cceKubeconfigJSON(f, true)); err == nil {
		f.Add(y)
	}
	entries, _ := os.ReadDir(filepath.Join("testdata", "kubeconfig"))
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", "kubeconfig", e.Name())); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: [b, {c: d}]\n"))
	f.Add([]byte(`{"contexts":[{"name":"x","context":{"cluster":"c","user":"u"}}],"clusters":[{"name":"c","cluster":{"server":"https://h"}}],"users":[{"name":"u","user":{"token":"t"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		is, err := ParseKubeconfig(data)
		if err != nil {
			return
		}
		if len(is.Contexts) == 0 || (len(is.CertPEM) == 0 && is.Token.Empty()) {
			t.Fatalf("accepted an unusable kubeconfig: %d contexts", len(is.Contexts))
		}
		for _, c := range is.Contexts {
			if !strings.HasPrefix(strings.ToLower(c.Server), "https://") {
				t.Fatalf("accepted server %q", c.Server)
			}
		}
	})
}

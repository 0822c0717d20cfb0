package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedKubeconfig is the part of a seed's kubeconfig a client uses.
type seedKubeconfig struct {
	Clusters []struct {
		Name    string `json:"name"`
		Cluster struct {
			Server string `json:"server"`
			CAData string `json:"certificate-authority-data"`
		} `json:"cluster"`
	} `json:"clusters"`
	Users []struct {
		User struct {
			CertData string `json:"client-certificate-data"`
			KeyData  string `json:"client-key-data"`
		} `json:"user"`
	} `json:"users"`
}

// startKeptT starts the kept emulator of dir and stops it at the end.
func startKeptT(t *testing.T, dir string) (environ []string, stop func() error) {
	t.Helper()
	environ, stop, err := StartWithCA(context.Background(), Options{}, dir)
	if err != nil {
		t.Fatalf("StartWithCA: %v", err)
	}
	t.Cleanup(func() { _ = stop() })
	return environ, stop
}

// requestSeeds writes a seed request into dir.
func requestSeeds(t *testing.T, dir string, reqs ...SeedRequest) {
	t.Helper()
	data, _ := json.Marshal(reqs)
	if err := os.MkdirAll(stateDir(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(SeedRequestFile(dir), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// readSeeds reads the seeds the emulator wrote, by target.
func readSeeds(t *testing.T, dir string) map[string]seedKubeconfig {
	t.Helper()
	data, err := os.ReadFile(SeedsFile(dir))
	if err != nil {
		t.Fatalf("seeds: %v", err)
	}
	var seeds []Seed
	if err := json.Unmarshal(data, &seeds); err != nil {
		t.Fatal(err)
	}
	out := map[string]seedKubeconfig{}
	for _, s := range seeds {
		var kc seedKubeconfig
		if err := json.Unmarshal(s.Kubeconfig, &kc); err != nil {
			t.Fatal(err)
		}
		out[s.Target] = kc
	}
	return out
}

// getVersion calls server/version as kubectl would with the kubeconfig's
// internal cluster: the server verified with its CA data, the client
// certificate presented. It returns the HTTP status.
func getVersion(t *testing.T, kc seedKubeconfig, server string) (int, error) {
	t.Helper()
	caPEM, _ := base64.StdEncoding.DecodeString(kc.Clusters[0].Cluster.CAData)
	certPEM, _ := base64.StdEncoding.DecodeString(kc.Users[0].User.CertData)
	keyPEM, _ := base64.StdEncoding.DecodeString(kc.Users[0].User.KeyData)
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("no CA in the seed's kubeconfig")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12,
	}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(server + "/version")
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// TestKeptEmulatorCredentialsVerifyInTheNextRun: a certificate issued in
// run 1 verifies against run 2's API server (same CA, same address), a
// revoked one stays revoked, and a port taken in between moves to a new
// one that the same CA still signs.
func TestKeptEmulatorCredentialsVerifyInTheNextRun(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	now := time.Now()
	requestSeeds(t, dir,
		SeedRequest{Target: "prod-web", Context: "internal", NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(300 * 24 * time.Hour)},
		SeedRequest{Target: "data-pipeline", Context: "internal", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), Revoked: true},
		SeedRequest{Target: "ops-tools", Context: "internal", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)},
		SeedRequest{Target: "global-prod", Context: "federation", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)},
		SeedRequest{Target: "no-such-cluster", Context: "internal", NotBefore: now, NotAfter: now.Add(time.Hour)},
	)
	_, stop1 := startKeptT(t, dir)
	if _, err := os.Stat(SeedRequestFile(dir)); !os.IsNotExist(err) {
		t.Errorf("the seed request is still there after it was answered: %v", err)
	}
	seeds := readSeeds(t, dir)
	if len(seeds) != 4 {
		t.Fatalf("%d seeds, want 4 (an unknown target is skipped)", len(seeds))
	}
	web, pipeline, ops, fleet := seeds["prod-web"], seeds["data-pipeline"], seeds["ops-tools"], seeds["global-prod"]
	webServer, opsServer := web.Clusters[0].Cluster.Server, ops.Clusters[0].Cluster.Server
	for name, kc := range map[string]seedKubeconfig{"prod-web": web, "global-prod": fleet} {
		if code, err := getVersion(t, kc, kc.Clusters[0].Cluster.Server); err != nil || code != http.StatusOK {
			t.Fatalf("run 1: %s /version = %d, %v", name, code, err)
		}
	}
	if err := stop1(); err != nil {
		t.Fatalf("stop run 1: %v", err)
	}
	if _, err := getVersion(t, web, webServer); err == nil {
		t.Fatal("run 1's API server still answers after stop")
	}
	// Something else takes ops-tools' port between the runs.
	squat, err := net.Listen("tcp", strings.TrimPrefix(opsServer, "https://"))
	if err != nil {
		t.Fatalf("take ops-tools' port: %v", err)
	}
	defer func() { _ = squat.Close() }()

	_, _ = startKeptT(t, dir)
	for name, kc := range map[string]seedKubeconfig{"prod-web": web, "global-prod": fleet} {
		if code, err := getVersion(t, kc, kc.Clusters[0].Cluster.Server); err != nil || code != http.StatusOK {
			t.Errorf("run 2: %s with run 1's kubeconfig /version = %d, %v (want 200: same address, same CA)", name, code, err)
		}
	}
	if code, err := getVersion(t, pipeline, pipeline.Clusters[0].Cluster.Server); err != nil || code != http.StatusUnauthorized {
		t.Errorf("run 2: the revoked seed /version = %d, %v; want 401", code, err)
	}
	st, err := loadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Options{}.inventory()
	if err != nil {
		t.Fatal(err)
	}
	var opsID string
	for _, c := range inv.Clusters {
		if c.Name == "ops-tools" {
			opsID = c.ID
		}
	}
	kt := st.Targets["cluster/"+opsID]
	if kt == nil || len(kt.Addrs) == 0 || kt.Addrs[0] == strings.TrimPrefix(opsServer, "https://") {
		t.Fatalf("ops-tools' kept address %v: want a new port (the old one is taken)", kt)
	}
	if code, err := getVersion(t, ops, "https://"+kt.Addrs[0]); err != nil || code != http.StatusOK {
		t.Errorf("ops-tools on its new port /version = %d, %v; want 200 (the kept CA signs it)", code, err)
	}
	data, err := os.ReadFile(MovedFile(dir))
	var moved map[string]string
	if err != nil || json.Unmarshal(data, &moved) != nil || moved[opsServer] != "https://"+kt.Addrs[0] || len(moved) != 1 {
		t.Errorf("moved.json = %s (%v), want {%q: the new URL} only", data, err, opsServer)
	}
}

// TestKeptEmulatorFilesAndAttach: the state is 0600 in a 0700 dir and holds
// no PEM the emulator did not make; a second start while the first runs
// returns the first one's environment, and its stop leaves it running.
func TestKeptEmulatorFilesAndAttach(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	env1, _ := startKeptT(t, dir)
	for path, want := range map[string]os.FileMode{
		stateDir(dir): 0o700, filepath.Join(stateDir(dir), "state.json"): 0o600, runningFile(dir): 0o600,
	} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %o", path, fi.Mode().Perm(), err, want)
		}
	}
	env2, stop2, err := StartWithCA(context.Background(), Options{}, dir)
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if !slices.Equal(env1, env2) {
		t.Errorf("a second start got its own emulator, want the running one's environment")
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
	endpoint := strings.TrimPrefix(lookupEnv(env1, "CCECERT_ENDPOINT"), "https://")
	conn, err := net.DialTimeout("tcp", endpoint, time.Second)
	if err != nil {
		t.Fatalf("the second start's stop stopped the first one's emulator: %v", err)
	}
	_ = conn.Close()
}

// TestKeptEmulatorWorksWithKubectl runs kubectl with a seed issued in run
// 1 against run 2.
func TestKeptEmulatorWorksWithKubectl(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	isolate(t)
	dir := t.TempDir()
	now := time.Now()
	requestSeeds(t, dir, SeedRequest{Target: "prod-payments", Context: "internal", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour)})
	_, stop1 := startKeptT(t, dir)
	data, err := os.ReadFile(SeedsFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	var seeds []Seed
	if err := json.Unmarshal(data, &seeds); err != nil || len(seeds) != 1 {
		t.Fatalf("seeds: %v %d", err, len(seeds))
	}
	file := filepath.Join(t.TempDir(), "kubeconfig.json")
	if err := os.WriteFile(file, seeds[0].Kubeconfig, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := stop1(); err != nil {
		t.Fatal(err)
	}
	startKeptT(t, dir)
	for _, ctxName := range []string{"internal", "external"} {
		out, err := kubectl(t, "--kubeconfig", file, "--context", ctxName, "get", "--raw", "/version")
		if err != nil || !strings.Contains(out, `"gitVersion"`) {
			t.Errorf("run 2: kubectl --context %s with run 1's credential: %v\n%s", ctxName, err, out)
		}
	}
}

func lookupEnv(environ []string, name string) string {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// TestKeptEmulatorKeepsTokensHashed: a token fleet's bearer token issued in
// run 1 authenticates in run 2; the state holds only its hash.
func TestKeptEmulatorKeepsTokensHashed(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	if err := os.MkdirAll(stateDir(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	fleetRT := func(srv *Server) *targetRuntime {
		t.Helper()
		st, err := loadState(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := keep(srv, st, nil, dir); err != nil {
			t.Fatal(err)
		}
		for i := range srv.idx.inv.Fleets {
			if f := &srv.idx.inv.Fleets[i]; f.Name == "platform-shared" {
				rt, err := srv.fleetRuntime(srv.idx.fleets[f.ID])
				if err != nil {
					t.Fatal(err)
				}
				return rt
			}
		}
		t.Fatal("no platform-shared fleet in the demo inventory")
		return nil
	}
	srv1 := start(t, Options{})
	tok := fleetRT(srv1).issueToken()
	if err := srv1.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(stateDir(dir), "state.json"))
	if err != nil || strings.Contains(string(data), tok) || !strings.Contains(string(data), tokenHash(tok)) {
		t.Fatalf("state.json (%v): want the token's hash, never the token", err)
	}
	rt2 := fleetRT(start(t, Options{}))
	r, _ := http.NewRequest(http.MethodGet, "https://127.0.0.1/version", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	if !rt2.authenticated(r) {
		t.Error("run 1's token does not authenticate in run 2")
	}
	r.Header.Set("Authorization", "Bearer "+tokenHash(tok))
	if rt2.authenticated(r) {
		t.Error("the token's hash authenticates as a token")
	}
}

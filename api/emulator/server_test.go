package emulator

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.10:8443", "example.com:443", "127.0.0.2:0", "[::]:0", "nonsense"} {
		srv, err := Start(context.Background(), Options{Addr: addr})
		if err == nil {
			_ = srv.Close()
			t.Errorf("Start(%q) succeeded, want a loopback error", addr)
		}
	}
}

func TestStartOnLocalhostAndIPv6(t *testing.T) {
	srv := start(t, Options{Addr: "localhost:0"})
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Errorf("URL = %s, want https://127.0.0.1:PORT", srv.URL)
	}
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	_ = ln.Close()
	v6 := start(t, Options{Addr: "[::1]:0"})
	if !strings.HasPrefix(v6.URL, "https://[::1]:") {
		t.Errorf("URL = %s, want https://[::1]:PORT", v6.URL)
	}
}

func TestStartRejectsInvalidInventory(t *testing.T) {
	inv := DemoInventory()
	inv.Clusters[0].Project = "atlantis"
	if srv, err := Start(context.Background(), Options{Inventory: inv}); err == nil {
		_ = srv.Close()
		t.Fatal("Start accepted an inventory with an unknown project")
	}
}

func TestCloseStopsEverything(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pay := target(t, srv, "prod-payments")
	internal, external, err := srv.Endpoints(pay.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, u := range []string{srv.URL, internal, external} {
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(u, "https://"), time.Second)
		if err == nil {
			_ = conn.Close()
			t.Errorf("%s still accepts connections after Close", u)
		}
	}
	if _, _, err := srv.Endpoints(target(t, srv, "prod-web").ID); err == nil {
		t.Error("Endpoints started a server after Close")
	}
}

func TestContextCancelCloses(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := Start(ctx, Options{Faults: Faults{HangRegions: []string{"cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	pay := target(t, srv, "prod-payments")
	done := make(chan error, 1)
	go func() {
		_, err := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0).ListClusters(&model.ListClustersRequest{})
		done <- err
	}()
	for srv.Requests() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("a hanging request succeeded after the context was cancelled")
	}
	addr := strings.TrimPrefix(srv.URL, "https://")
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		_ = conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still listening after the context was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = srv.Close()
}

func TestWriteCAFileAndEnv(t *testing.T) {
	srv := start(t, Options{})
	dir := t.TempDir()
	path, err := srv.WriteCAFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 || filepath.Base(path) != "emulator-ca.pem" {
		t.Fatalf("CA file %s: %v mode %v", path, err, info.Mode())
	}
	data, _ := os.ReadFile(path)
	if string(data) != string(srv.CAPEM) {
		t.Error("CA file differs from CAPEM")
	}
	env := srv.Env(path)
	want := []string{"CCECERT_ENDPOINT=" + srv.URL, "CCECERT_CA_FILE=" + path, "CLOUD_SDK_AK=" + srv.AK, "CLOUD_SDK_SK=" + srv.SK}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("Env = %v", env)
	}
	if len(srv.AK) != 20 || len(srv.SK) != 40 || srv.AK == srv.SK {
		t.Errorf("AK/SK lengths %d/%d", len(srv.AK), len(srv.SK))
	}
}

func TestSyntheticScale(t *testing.T) {
	srv := start(t, Options{Clusters: 1000, Regions: 30})
	if n := len(srv.Targets()); n != 1000 {
		t.Fatalf("Targets = %d, want 1000", n)
	}
	first := srv.Targets()[0]
	list, err := cceClient(t, srv, first.Region, first.ProjectID, mainKey(srv), 0).ListClusters(&model.ListClustersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(*list.Items); n != 34 {
		t.Errorf("first region lists %d clusters, want 34", n)
	}
	for _, c := range *list.Items {
		if len(*c.Status.Endpoints) == 0 {
			t.Fatalf("%s has no endpoints", c.Metadata.Name)
		}
	}
}

// TestNothingWrittenUnderHome runs a full inventory and issue through the
// SDK and checks that HOME stays empty.
func TestNothingWrittenUnderHome(t *testing.T) {
	srv := start(t, Options{})
	home := os.Getenv("HOME")
	for _, ti := range srv.Targets() {
		if ti.Kind != KindCCE || ti.Legacy || ti.Phase != PhaseAvailable {
			continue
		}
		client := cceClient(t, srv, ti.Region, ti.ProjectID, mainKey(srv), 0)
		if _, err := client.ListClusters(&model.ListClustersRequest{}); err != nil {
			t.Fatal(err)
		}
		body := durationBody(7)
		if _, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: ti.ID, Body: &body}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(home)
	if err != nil || len(entries) != 0 {
		t.Errorf("HOME has %d entries (%v): the SDK or emulator wrote there", len(entries), err)
	}
	if n := srv.Requests(); n < 10 {
		t.Errorf("only %d requests reached the emulator", n)
	}
	for _, rec := range srv.Log() {
		if rec.Status != http.StatusOK {
			t.Errorf("request %s %s = %d", rec.Method, rec.Path, rec.Status)
		}
	}
}

package emulator

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func sansInventory() *Inventory {
	return &Inventory{
		Domain:   Domain{Name: "sans"},
		User:     User{Name: "op"},
		Projects: []Project{{Name: "cn-north-4"}},
		Clusters: []Cluster{
			{Name: "signed-in", Project: "cn-north-4", Version: "v1.31", EIP: true, CustomSANs: []string{EIPHost, "API.example.com"}},
			{Name: "plain", Project: "cn-north-4", Version: "v1.31", EIP: true},
			{Name: "played", Project: "cn-north-4", Version: "v1.31", EIP: true, MITM: true},
		},
	}
}

// presented is the certificate chain an endpoint presents.
func presented(t *testing.T, server string) []*x509.Certificate {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.Dial("tcp", u.Host, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // the test inspects what is presented
	if err != nil {
		t.Fatalf("dial %s: %v", server, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates
}

func TestServingCertificateCoversInternalAndCustomSANs(t *testing.T) {
	srv := start(t, Options{Inventory: sansInventory()})
	for _, tt := range []struct {
		cluster   string
		eipCovers bool
		names     []string
	}{
		{"signed-in", true, []string{"api.example.com"}},
		{"plain", false, nil},
	} {
		t.Run(tt.cluster, func(t *testing.T) {
			ti := target(t, srv, tt.cluster)
			client := cceClient(t, srv, ti.Region, ti.ProjectID, mainKey(srv), 0)
			got := issueVia(t, client, ti.ID, durationBody(1))
			if host := hostOf(t, got.internal); host != InternalHost {
				t.Fatalf("internal endpoint %s, want host %s", got.internal, InternalHost)
			}
			in, ex := presented(t, got.internal), presented(t, got.external)
			if !bytes.Equal(in[0].Raw, ex[0].Raw) {
				t.Fatal("the two listeners present different certificates; CCE's API server has one")
			}
			roots := x509.NewCertPool()
			roots.AppendCertsFromPEM(got.caPEM)
			verify := func(name string) error {
				_, err := in[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: name})
				return err
			}
			if err := verify(InternalHost); err != nil {
				t.Errorf("certificate does not verify for the internal address: %v", err)
			}
			if err := verify(hostOf(t, got.external)); (err == nil) != tt.eipCovers {
				t.Errorf("covers the EIP %s: %v, want %v", hostOf(t, got.external), err == nil, tt.eipCovers)
			}
			if !slices.Equal(in[0].DNSNames, tt.names) {
				t.Errorf("DNS names %v, want %v", in[0].DNSNames, tt.names)
			}
		})
	}
}

func TestMITMExternalEndpoint(t *testing.T) {
	srv := start(t, Options{Inventory: sansInventory()})
	ti := target(t, srv, "played")
	client := cceClient(t, srv, ti.Region, ti.ProjectID, mainKey(srv), 0)
	got := issueVia(t, client, ti.ID, durationBody(1))
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(got.caPEM)
	if _, err := presented(t, got.internal)[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: InternalHost}); err != nil {
		t.Fatalf("internal endpoint should be the real one: %v", err)
	}
	ex := presented(t, got.external)[0]
	if _, err := ex.Verify(x509.VerifyOptions{Roots: roots, DNSName: hostOf(t, got.external)}); err == nil {
		t.Fatal("the man in the middle's certificate verifies against the cluster CA")
	}
	// CCE's insecure context still connects: that is what the MITM shows.
	if status, body := kubeGet(t, got.external, "/version", &got.pair, nil); status != http.StatusOK {
		t.Fatalf("insecure /version through the man in the middle = %d %s", status, body)
	}
}

func TestClusterSpecShowsCustomSAN(t *testing.T) {
	srv := start(t, Options{Inventory: sansInventory()})
	ti := target(t, srv, "signed-in")
	c, ok := srv.idx.cluster(ti.ProjectID, ti.ID, KindCCE)
	if !ok {
		t.Fatal("cluster not indexed")
	}
	if spec := srv.clusterSpec(c); !slices.Equal(spec.CustomSan, []string{EIPHost, "API.example.com"}) {
		t.Fatalf("spec.customSan = %v", spec.CustomSan)
	}
}

func TestValidateServing(t *testing.T) {
	long := make([]string, maxCustomSANs+1)
	for i := range long {
		long[i] = net.IPv4(10, 0, byte(i/250), byte(i%250)).String()
	}
	for _, tt := range []struct {
		name string
		c    Cluster
		want string // "" = valid
	}{
		{"ip and name", Cluster{Version: "v1.19", EIP: true, CustomSANs: []string{"1.2.3.4", "api.example.com", "::1"}}, ""},
		{"mitm needs eip", Cluster{Version: "v1.31", MITM: true}, "mitm needs eip"},
		{"old cluster", Cluster{Version: "v1.17", CustomSANs: []string{"1.2.3.4"}}, "v1.19 or later"},
		{"not a name", Cluster{Version: "v1.31", CustomSANs: []string{"https://x"}}, "neither an IP address nor a domain name"},
		{"hyphen edge", Cluster{Version: "v1.31", CustomSANs: []string{"-a.example.com"}}, "neither"},
		{"twice", Cluster{Version: "v1.31", CustomSANs: []string{"A.example.com", "a.example.com"}}, "listed twice"},
		{"too many", Cluster{Version: "v1.31", CustomSANs: long}, "at most 128"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errs []string
			validateServing(tt.c, "c", func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) })
			joined := strings.Join(errs, "; ")
			if (tt.want == "") != (len(errs) == 0) || !strings.Contains(joined, tt.want) {
				t.Fatalf("errors %q, want %q", joined, tt.want)
			}
		})
	}
}

func TestInventoryCloneCopiesCustomSANs(t *testing.T) {
	inv := sansInventory()
	cp := inv.Clone()
	cp.Clusters[0].CustomSANs[0] = "changed"
	if inv.Clusters[0].CustomSANs[0] != EIPHost {
		t.Fatal("Clone shares custom_sans with the original")
	}
}

func hostOf(t *testing.T, server string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname()
}

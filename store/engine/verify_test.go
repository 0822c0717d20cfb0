package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

func TestDefaultRoles(t *testing.T) {
	eip := api.Target{Kind: api.KindCCE, Endpoints: api.Endpoints{Internal: "https://10.0.0.5:5443", External: "https://100.1.1.1:5443"}}
	noEIP := api.Target{Kind: api.KindCCE, Endpoints: api.Endpoints{Internal: "https://10.0.0.5:5443"}}
	autopilot := eip
	autopilot.Kind = api.KindAutopilot
	fleet := api.Target{Kind: api.KindFleet, Endpoints: eip.Endpoints}
	for _, tt := range []struct {
		name string
		t    api.Target
		want []api.ContextRole
	}{
		{"EIP: external", eip, []api.ContextRole{api.RoleExternal}},
		{"Autopilot with EIP: external", autopilot, []api.ContextRole{api.RoleExternal}},
		{"no EIP: internal", noEIP, []api.ContextRole{api.RoleInternal}},
		{"fleet: its one context", fleet, nil},
	} {
		if got := DefaultRoles(tt.t); !slices.Equal(got, tt.want) {
			t.Errorf("%s: DefaultRoles = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !DefaultUse {
		t.Error("a get should make its context current by default, as aws, gcloud and az do")
	}
}

// fakeChecker answers each server with a fixed verdict and records calls.
type fakeChecker struct {
	verdicts map[string]api.TLSVerdict
	errs     map[string]error
	calls    []api.TLSCheck
}

func (f *fakeChecker) check(_ context.Context, c api.TLSCheck) (api.TLSVerdict, error) {
	f.calls = append(f.calls, c)
	return f.verdicts[c.Server], f.errs[c.Server]
}

func TestSecureContexts(t *testing.T) {
	ca := []byte("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n")
	ext := func(server string) api.IssuedContext {
		return api.IssuedContext{Name: "external", Role: api.RoleExternal, Server: server, InsecureSkipTLSVerify: true, ClusterCA: ca, InternalHost: "10.0.0.5"}
	}
	internal := api.IssuedContext{Name: "internal", Role: api.RoleInternal, Server: "https://10.0.0.5:5443", CAData: ca, ClusterCA: ca}
	noCA := ext("https://no-ca:5443")
	noCA.ClusterCA = nil
	f := &fakeChecker{
		verdicts: map[string]api.TLSVerdict{
			"https://in-sans:5443": {TLS: api.TLSVerified},
			"https://by-name:5443": {TLS: api.TLSServerName, ServerName: "10.0.0.5"},
			"https://mitm:5443":    {TLS: api.TLSInsecure, Reason: "signed by an unknown authority"},
		},
		errs: map[string]error{"https://down:5443": errors.New("check TLS of down:5443: connection refused")},
	}
	in := []api.IssuedContext{internal, ext("https://in-sans:5443"), ext("https://by-name:5443"), ext("https://mitm:5443"), ext("https://down:5443"), noCA}
	before := slices.Clone(in)
	out := SecureContexts(context.Background(), in, f.check, 7*time.Second, time.Now)

	if !slices.EqualFunc(in, before, sameContext) {
		t.Fatal("SecureContexts changed its input")
	}
	want := []struct {
		tls        api.TLS
		serverName string
		reason     string
	}{
		{api.TLSVerified, "", ""},
		{api.TLSVerified, "", ""},
		{api.TLSServerName, "10.0.0.5", ""},
		{api.TLSInsecure, "", "signed by an unknown authority"},
		{api.TLSInsecure, "", "could not be checked: check TLS of down:5443: connection refused"},
		{api.TLSInsecure, "", "no cluster CA"},
	}
	for i, w := range want {
		c := out[i]
		if c.TLS() != w.tls || c.TLSServerName != w.serverName || !strings.Contains(c.TLSReason, w.reason) || (w.reason == "") != (c.TLSReason == "") {
			t.Errorf("%s: TLS %s, server name %q, reason %q; want %s %q %q", c.Server, c.TLS(), c.TLSServerName, c.TLSReason, w.tls, w.serverName, w.reason)
		}
		// kubectl refuses CA data beside insecure-skip-tls-verify.
		if c.InsecureSkipTLSVerify == (len(c.CAData) > 0) {
			t.Errorf("%s: insecure %v with %d bytes of CA data", c.Server, c.InsecureSkipTLSVerify, len(c.CAData))
		}
	}
	if len(f.calls) != 4 {
		t.Fatalf("checked %d servers, want the 4 insecure ones with a CA", len(f.calls))
	}
	for _, c := range f.calls {
		if c.Timeout != 7*time.Second || c.InternalHost != "10.0.0.5" || string(c.CAData) != string(ca) || c.Now == nil {
			t.Errorf("check %+v: want the timeout, internal host, cluster CA and clock passed on", c)
		}
	}
}

func sameContext(a, b api.IssuedContext) bool {
	return a.Server == b.Server && a.InsecureSkipTLSVerify == b.InsecureSkipTLSVerify && string(a.CAData) == string(b.CAData) &&
		a.TLSServerName == b.TLSServerName && a.TLSReason == b.TLSReason
}

// tlsInventory has one EIP cluster per outcome of the external check.
func tlsInventory() *emulator.Inventory {
	return &emulator.Inventory{
		Domain:   emulator.Domain{Name: "tls-account"},
		User:     emulator.User{Name: "tls-user"},
		Projects: []emulator.Project{{Name: "cn-north-4"}},
		Clusters: []emulator.Cluster{
			{Name: "eip-in-sans", Project: "cn-north-4", Version: "v1.31", EIP: true, CustomSANs: []string{emulator.EIPHost}},
			{Name: "eip-plain", Project: "cn-north-4", Version: "v1.31", EIP: true},
			{Name: "eip-mitm", Project: "cn-north-4", Version: "v1.31", EIP: true, MITM: true},
		},
	}
}

// tlsCase is a cluster of tlsInventory and what the check of its external
// endpoint finds.
type tlsCase struct {
	cluster    string
	want       api.TLS
	serverName string // tls-server-name written
	reason     string // part of the reason, when insecure
}

func tlsCases() []tlsCase {
	return []tlsCase{
		{"eip-in-sans", api.TLSVerified, "", ""},
		{"eip-plain", api.TLSServerName, emulator.InternalHost, ""},
		{"eip-mitm", api.TLSInsecure, "", "does not verify against the cluster CA"},
	}
}

// TestSecureContextsAgainstEmulator: the issued kubeconfigs of three EIP
// clusters, checked for real against the emulator's API servers.
func TestSecureContextsAgainstEmulator(t *testing.T) {
	env := newEngineEnv(t, envOptions{inventory: tlsInventory()})
	for _, tt := range tlsCases() {
		t.Run(tt.cluster, func(t *testing.T) {
			iss, err := env.client.Issue(t.Context(), env.target(t, tt.cluster), api.CertRequest{Validity: api.Days(1)})
			if err != nil {
				t.Fatal(err)
			}
			out := SecureContexts(t.Context(), iss.Contexts, api.VerifyServer, 10*time.Second, time.Now)
			for _, c := range out {
				if c.Role == api.RoleInternal && (c.TLS() != api.TLSVerified || c.TLSReason != "") {
					t.Errorf("internal context changed: %s %q", c.TLS(), c.TLSReason)
				}
				if c.Role != api.RoleExternal {
					continue
				}
				if c.TLS() != tt.want || c.TLSServerName != tt.serverName || !strings.Contains(c.TLSReason, tt.reason) || (tt.reason == "") != (c.TLSReason == "") {
					t.Errorf("external: TLS %s, server name %q, reason %q; want %s %q %q", c.TLS(), c.TLSServerName, c.TLSReason, tt.want, tt.serverName, tt.reason)
				}
			}
		})
	}
}

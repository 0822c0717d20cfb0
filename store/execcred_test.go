package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api"
)

func TestExecCredential(t *testing.T) {
	ca := newCA(t)
	na := t0.Add(30*Day + 1500*time.Millisecond)
	cert, key := ca.issue(t, "u", t0, na)
	out, err := ExecCredential(cert, api.Secret(key), na)
	if err != nil {
		t.Fatal(err)
	}
	var ec struct {
		Kind, APIVersion string
		Status           struct {
			ExpirationTimestamp   string
			ClientCertificateData string
			ClientKeyData         string
		}
	}
	if err := json.Unmarshal(out, &ec); err != nil {
		t.Fatal(err)
	}
	if ec.Kind != "ExecCredential" || ec.APIVersion != "client.authentication.k8s.io/v1" {
		t.Fatalf("type %s %s", ec.Kind, ec.APIVersion)
	}
	exp, err := time.Parse(time.RFC3339, ec.Status.ExpirationTimestamp)
	if err != nil || !exp.Equal(na.Truncate(time.Second)) || ec.Status.ExpirationTimestamp != "2026-03-31T12:00:01Z" {
		t.Fatalf("expirationTimestamp %q %v", ec.Status.ExpirationTimestamp, err)
	}
	if ec.Status.ClientCertificateData != string(cert) || ec.Status.ClientKeyData != string(key) {
		t.Fatal("cert/key data differ")
	}
	_, otherKey := ca.issue(t, "v", t0, na)
	if _, err := ExecCredential(cert, api.Secret(otherKey), na); err == nil {
		t.Fatal("mismatched key accepted")
	}
}

func TestExportConfigFromStoredCredential(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(t, ca, tgt, t0, t0.Add(Day))
	c, err := s.AddCredential(ctx, tgt, iss, Meta{Mode: ModeExec})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := s.Key(ctx, c.ID)
	e, err := EntryFor(c, key, "")
	if err != nil || e.Mode != ModeExec || e.CredentialID != c.ID {
		t.Fatalf("entry %+v %v", e.Mode, err)
	}
	data, err := ExportConfig(e, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Contexts) != 1 || cfg.CurrentContext != "prod-internal" {
		t.Fatalf("export contexts %v current %q", len(cfg.Contexts), cfg.CurrentContext)
	}
	u := cfg.AuthInfos[cfg.Contexts["prod-internal"].AuthInfo]
	if u.Exec != nil || !bytes.Equal(u.ClientKeyData, iss.Key.Reveal()) || !bytes.Equal(u.ClientCertificateData, iss.CertPEM) {
		t.Fatal("export is not inline with the stored key")
	}
	if cl := cfg.Clusters["prod-internal"]; !bytes.Equal(cl.CertificateAuthorityData, ca.PEM) || cl.Server != tgt.Endpoints.Internal {
		t.Fatalf("cluster %+v", cl)
	}
	ext, err := ExportConfig(e, ExportOptions{Role: api.RoleExternal})
	if err != nil || !strings.Contains(string(ext), "current-context: prod-external") || !strings.Contains(string(ext), "insecure-skip-tls-verify: true") {
		t.Fatalf("external export: %v\n%s", err, ext)
	}
	e.Contexts = e.Contexts[:1]
	if _, err := ExportConfig(e, ExportOptions{Role: api.RoleExternal}); err == nil {
		t.Fatal("export of a missing role")
	}
	if _, err := EntryFor(c, nil, ModeInline); err == nil {
		t.Fatal("inline entry without a key")
	}
}

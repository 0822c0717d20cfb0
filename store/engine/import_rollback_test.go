package engine

import (
	"bytes"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/store"
)

// userCert is the client certificate the kubeconfig's context uses.
func userCert(t *testing.T, e *engineEnv, context string) []byte {
	t.Helper()
	cfg := readKube(t, e.kube)
	c := cfg.Contexts[context]
	if c == nil {
		t.Fatalf("no context %q", context)
	}
	return cfg.AuthInfos[c.AuthInfo].ClientCertificateData
}

// TestImportNeverRollsBack: an import never replaces a newer live
// certificate for the same target and context — neither an export of a
// credential renewed since, nor a console download older than a fetch —
// and says what it kept; a download newer than the live one still wins.
func TestImportNeverRollsBack(t *testing.T) {
	t.Run("an export, renewed since", func(t *testing.T) {
		e := newEngineEnv(t, envOptions{})
		old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments")}).Credential
		export, err := e.eng.Export(t.Context(), old, "")
		if err != nil {
			t.Fatal(err)
		}
		nu, err := e.eng.Renew(t.Context(), old)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.eng.Import(t.Context(), export, "old-export.yaml")
		if err != nil {
			t.Fatal(err)
		}
		assertKept(t, e, out, nu.Credential, nu.Contexts[0])
	})
	t.Run("a download older than a fetch", func(t *testing.T) {
		e := newEngineEnv(t, envOptions{})
		download := consoleDownload(t, e, "data-pipeline") // 60 days
		live := e.fetch(t, FetchRequest{Target: e.target(t, "data-pipeline"), Validity: api.Days(90)})
		out, err := e.eng.Import(t.Context(), download, "data-pipeline.json")
		if err != nil {
			t.Fatal(err)
		}
		assertKept(t, e, out, live.Credential, live.Contexts[0])
		if c := e.find(t, out.Credentials[0].ID); c.Active() || c.ReplacedBy != live.Credential.ID {
			t.Errorf("the older import is live beside the kept one (replaced by %q)", c.ReplacedBy)
		}
	})
	t.Run("a download newer than the live one", func(t *testing.T) {
		e := newEngineEnv(t, envOptions{})
		live := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(7)})
		out, err := e.eng.Import(t.Context(), consoleDownload(t, e, "prod-web"), "prod-web.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if out.Kept[0] != "" || !bytes.Equal(userCert(t, e, live.Contexts[0]), out.Credentials[0].CertPEM) {
			t.Fatalf("a newer download was kept out: %q", out.Kept)
		}
		if e.find(t, live.Credential.ID).Active() {
			t.Error("the older fetch stays live beside the newer import")
		}
	})
}

// assertKept checks an import left kept's certificate in the kubeconfig,
// live, and said so.
func assertKept(t *testing.T, e *engineEnv, out ImportOutcome, kept store.Credential, context string) {
	t.Helper()
	if len(out.Kept) != 1 || !strings.Contains(out.Kept[0], "kept "+kept.ID) && !strings.Contains(out.Kept[0], "keeps "+kept.ID) {
		t.Fatalf("the import does not say it kept %s: %q", kept.ID, out.Kept)
	}
	if !strings.Contains(strings.Join(out.Warnings, "\n"), kept.ID) {
		t.Errorf("warnings do not name the kept credential: %q", out.Warnings)
	}
	if !bytes.Equal(userCert(t, e, context), kept.CertPEM) {
		t.Error("the kubeconfig was rolled back to the imported certificate")
	}
	if !e.find(t, kept.ID).Active() {
		t.Error("the kept credential is no longer live")
	}
}

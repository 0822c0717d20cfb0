package engine

import (
	"bytes"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/store"
)

// keyLines are the base64 body lines of every stored private key.
func keyLines(t *testing.T, e *engineEnv) []string {
	t.Helper()
	creds, err := e.store.Credentials(t.Context(), store.Filter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range creds {
		if c.TokenOnly || !c.HasKey {
			continue
		}
		key, err := e.store.Key(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(key.Reveal()), "\n") {
			if len(line) >= 32 && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no stored keys to look for")
	}
	return out
}

func TestNoSecretInErrorsOrEvents(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	ctx := t.Context()
	var errs []error
	try := func(_ any, err error) {
		t.Helper()
		if err == nil {
			t.Fatal("expected an error")
		}
		errs = append(errs, err)
	}
	a := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments")}).Credential
	b := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Mode: store.ModeExec}).Credential
	try(e.eng.Fetch(ctx, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(-2)}))
	try(e.eng.Fetch(ctx, FetchRequest{Target: e.target(t, "global-prod"), Validity: api.Days(3)})) // the cloud refuses: no connection
	if _, err := e.eng.Renew(ctx, b); err != nil {
		t.Fatal(err)
	}
	try(e.eng.Renew(ctx, e.find(t, b.ID)))
	if _, err := e.eng.Export(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	try(e.eng.Export(ctx, a, "nope"))
	// A console download whose key belongs to another certificate.
	data := consoleDownload(t, e, "staging-web")
	other := readKube(t, e.kube).AuthInfos[readKube(t, e.kube).Contexts["prod-payments-external"].AuthInfo].ClientKeyData
	bad := mismatchKey(t, data, other)
	try(e.eng.Import(ctx, bad, "bad.yaml"))
	if _, err := e.eng.Revoke(ctx, a); err != nil {
		t.Fatal(err)
	}
	try(e.eng.ExecCredential(ctx, a.ID))
	e.clock.Advance(40 * store.Day)
	try(e.eng.ExecCredential(ctx, b.ID))

	secrets := append(keyLines(t, e), e.srv.SK, "client-key-data")
	for _, err := range errs {
		assertNoSecret(t, "error", err.Error(), secrets...)
	}
	evs := e.events(t)
	failed := 0
	for _, ev := range evs {
		assertNoSecret(t, "event", ev.Action+" "+ev.Target+" "+ev.Credential+" "+ev.Result, secrets...)
		if strings.HasPrefix(ev.Result, "error: ") {
			failed++
		}
	}
	if failed < 3 {
		t.Errorf("only %d failed events logged of the failures above: %+v", failed, evs)
	}
}

// mismatchKey swaps the client key of a kubeconfig for another one.
func mismatchKey(t *testing.T, kubeconfig, key []byte) []byte {
	t.Helper()
	cfg := readKubeBytes(t, kubeconfig)
	for _, ai := range cfg.AuthInfos {
		if bytes.Equal(ai.ClientKeyData, key) {
			t.Fatal("the keys are the same")
		}
		ai.ClientKeyData = key
	}
	return writeKubeBytes(t, cfg)
}

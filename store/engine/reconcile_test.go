package engine

import (
	"strings"
	"testing"

	"ccecert/store"
)

// deadIntent records a revoke intent as a process that then died would
// have left it.
func deadIntent(t *testing.T, e *engineEnv, c store.Credential) {
	t.Helper()
	if _, err := e.store.RecordIntent(t.Context(), store.Intent{Action: store.IntentRevoke, TargetKey: c.Target.Key(), Subject: c.Subject, Credential: c.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, e).Exec("UPDATE intents SET pid = 4194303"); err != nil {
		t.Fatal(err)
	}
}

// TestReconcileRemovesContextsMarkedBeforeTheKill: a revoke killed after
// it marked the credentials revoked but before it removed their contexts
// is finished: the contexts go, though nothing is newly marked.
func TestReconcileRemovesContextsMarkedBeforeTheKill(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments")})
	deadIntent(t, e, res.Credential)
	if _, err := e.store.MarkRevoked(t.Context(), res.Credential.Target.Key(), res.Credential.Subject, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	rec, err := e.eng.Reconcile(t.Context())
	if err != nil || len(rec.Revoked) != 1 || len(rec.Problems) != 0 {
		t.Fatalf("reconcile: %+v, %v", rec, err)
	}
	if readKube(t, e.kube).Contexts[res.Contexts[0]] != nil {
		t.Error("the revoked credential's context is still in the kubeconfig")
	}
}

// TestReconcileDoesNotRevokeANewerFetch: when a certificate of the same
// user was fetched after an interrupted revoke, sending the revoke again
// would revoke it too (CCE revokes all of a user's certificates on a
// cluster): the reconcile leaves it to the operator and says so.
func TestReconcileDoesNotRevokeANewerFetch(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	tg := e.target(t, "prod-payments")
	old := e.fetch(t, FetchRequest{Target: tg}).Credential
	deadIntent(t, e, old)
	e.clock.Advance(store.Day)
	nu := e.fetch(t, FetchRequest{Target: tg}).Credential
	revokes := e.cloud.revokes.Load()
	rec, err := e.eng.Reconcile(t.Context())
	if err != nil || len(rec.Problems) != 1 || !strings.Contains(rec.Problems[0].Error(), "ccecert revoke "+old.ID) || !strings.Contains(rec.Problems[0].Error(), nu.ID) {
		t.Fatalf("reconcile: %+v, %v", rec, err)
	}
	if e.cloud.revokes.Load() != revokes || e.find(t, nu.ID).Revoked() {
		t.Error("the reconcile revoked a certificate fetched after the interrupted revoke")
	}
	if !e.find(t, old.ID).RevokePending {
		t.Error("the unsettled revoke is no longer shown")
	}
}

// TestReconcileSettlesTwoLiveCredentials: a run interrupted between
// writing a credential and superseding the target's older one leaves two
// live credentials for one user entry; the reconcile keeps the newest.
func TestReconcileSettlesTwoLiveCredentials(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	tg := e.target(t, "data-pipeline")
	first := e.fetch(t, FetchRequest{Target: tg}).Credential
	e.clock.Advance(store.Day)
	second := e.fetch(t, FetchRequest{Target: tg}).Credential
	if _, err := rawDB(t, e).Exec("UPDATE credentials SET replaced_by = '' WHERE id = ?", first.ID); err != nil {
		t.Fatal(err)
	}
	if !e.find(t, first.ID).Active() {
		t.Fatal("setup: the first credential is not live again")
	}
	if _, err := e.eng.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := e.find(t, first.ID); got.Active() || got.ReplacedBy != second.ID {
		t.Errorf("first: live %v, replaced by %q; want replaced by %s", got.Active(), got.ReplacedBy, second.ID)
	}
	if !e.find(t, second.ID).Active() {
		t.Error("the newest credential is no longer live")
	}
}

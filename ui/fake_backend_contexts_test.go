package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"ccecert/store"
)

// fakeKube is the fake's $KUBECONFIG: a context list that switches,
// namespaces and deletions change, and the changes Changes reports next.
type fakeKube struct {
	list     store.ContextList
	previous string
	changes  Changes
	err      error // every context call fails with it
	loads    int   // Contexts calls (not in calls, which older tests count)
}

// testContexts: the current one is ccecert's (with a credential), a
// foreign kind context, one in a second file, one of ccecert's without a
// known credential.
func testContexts() store.ContextList {
	main, other := "/home/op/.kube/config", "/home/op/.kube/work.yaml"
	return store.ContextList{
		Current: "prod-web-internal", CurrentFile: main, Files: []string{main, other},
		Contexts: []store.KubeContext{
			{Name: "kind-kind", Cluster: "kind-kind", Server: "https://127.0.0.1:39113", User: "kind-kind", File: main},
			{Name: "legacy-batch-internal", Cluster: "legacy-batch-internal", Server: "https://192.168.0.10:5443", User: "ccecert-legacy-batch", File: main, Ours: true, Target: "cce/cn-east-3/c-old"},
			{Name: "orphan-internal", Cluster: "orphan", Server: "https://10.9.9.9:5443", User: "ccecert-orphan", File: main, Ours: true, Target: "cce/cn-east-3/c-gone"},
			{Name: "prod-eks", Cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod-payments-international", Server: "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com", User: "arn:aws:eks:eu-west-1:123456789012:cluster/prod-payments-international", Namespace: "payments", File: other},
			{Name: "prod-web-internal", Cluster: "prod-web-internal", Server: "https://192.168.0.10:5443", User: "ccecert-prod-web", Namespace: "default", File: main, Current: true, Ours: true, Target: "cce/cn-north-4/c-web"},
			{Name: "staging-auto-internal", Cluster: "staging-auto-internal", Server: "https://192.168.0.10:5443", User: "ccecert-staging-auto", File: main, Ours: true, Target: "autopilot/ap-southeast-1/c-auto"},
		},
	}
}

func (f *fakeBackend) Contexts(context.Context) (store.ContextList, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kube.loads++
	l := f.kube.list
	l.Contexts = slices.Clone(l.Contexts)
	return l, f.kube.err
}

func (f *fakeBackend) SwitchContext(_ context.Context, name string) (store.SwitchResult, error) {
	f.record("SwitchContext " + name)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.kube.err != nil {
		return store.SwitchResult{}, f.kube.err
	}
	if name == "-" {
		if f.kube.previous == "" {
			return store.SwitchResult{}, errors.New("no previous context: switch once first")
		}
		name = f.kube.previous
	}
	l := &f.kube.list
	if !slices.ContainsFunc(l.Contexts, func(c store.KubeContext) bool { return c.Name == name }) {
		return store.SwitchResult{}, fmt.Errorf("no context %q", name)
	}
	res := store.SwitchResult{File: l.CurrentFile, Previous: l.Current}
	f.kube.previous, l.Current = l.Current, name
	l.Contexts = slices.Clone(l.Contexts)
	for i := range l.Contexts {
		l.Contexts[i].Current = l.Contexts[i].Name == name
	}
	return res, nil
}

func (f *fakeBackend) SetNamespace(_ context.Context, name, ns string) error {
	f.record("SetNamespace " + name + " " + ns)
	f.mu.Lock()
	defer f.mu.Unlock()
	l := &f.kube.list
	l.Contexts = slices.Clone(l.Contexts)
	for i := range l.Contexts {
		if l.Contexts[i].Name == name {
			l.Contexts[i].Namespace = ns
			return nil
		}
	}
	return fmt.Errorf("no context %q", name)
}

func (f *fakeBackend) DeleteContext(_ context.Context, name string) (store.RemoveResult, error) {
	f.record("DeleteContext " + name)
	f.mu.Lock()
	defer f.mu.Unlock()
	l := &f.kube.list
	i := slices.IndexFunc(l.Contexts, func(c store.KubeContext) bool { return c.Name == name })
	switch {
	case i < 0:
		return store.RemoveResult{}, fmt.Errorf("no context %q", name)
	case !l.Contexts[i].Ours:
		return store.RemoveResult{}, store.ErrForeignContext
	}
	l.Contexts = slices.Delete(slices.Clone(l.Contexts), i, i+1)
	return store.RemoveResult{Removed: []string{name}}, nil
}

func (f *fakeBackend) Changes(context.Context) (Changes, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.kube.changes
	f.kube.changes = Changes{}
	return ch, nil
}

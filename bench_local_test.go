//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/store"
)

// benchMerge merges one credential (a fresh certificate each run) into a
// kubeconfig already holding 500 contexts, as a renewal does, through the
// Store's Merge: lock, read, parse, merge, encode, fsync'd temp file,
// backup, rename. Median of runs.
func benchMerge(ctx context.Context, dir string, runs int) ([]benchFigure, error) {
	ca, err := newBenchCA()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "merge-kube", "config")
	if err := writeBigKubeconfig(path, ca, 250); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, "merge-data"), store.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	t := benchTargets(251)[250] // not in the file yet
	var times []time.Duration
	for i := range runs {
		now := time.Now()
		iss, err := ca.issue(t, api.RoleExternal, now, now.Add(time.Duration(30+i)*benchDay))
		if err != nil {
			return nil, err
		}
		e := store.Entry{Target: t, Contexts: iss.Contexts, Mode: store.ModeInline, CertPEM: iss.CertPEM, Key: iss.Key}
		start := time.Now()
		if _, _, err := st.Merge(path, e, store.MergeOptions{}); err != nil {
			return nil, err
		}
		times = append(times, time.Since(start))
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return []benchFigure{info(fmt.Sprintf("merge 1 credential into 500 contexts (%d KiB file)", fi.Size()>>10), ms(median(times)), "ms")}, nil
}

// writeBigKubeconfig writes targets×2 contexts (internal, external) with
// one inline user per target, as another tool (or an older ccecert) would
// have left them.
func writeBigKubeconfig(path string, ca *benchCA, targets int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	now := time.Now()
	for _, t := range benchTargets(targets) {
		iss, err := ca.issue(t, api.RoleInternal, now, now.Add(30*benchDay))
		if err != nil {
			return err
		}
		user := clientcmdapi.NewAuthInfo()
		user.ClientCertificateData, user.ClientKeyData = iss.CertPEM, iss.Key.Reveal()
		cfg.AuthInfos[t.Name] = user
		for _, role := range []string{"internal", "external"} {
			name := t.Name + "-" + role
			cl := clientcmdapi.NewCluster()
			cl.Server = t.Endpoints.Internal
			cl.CertificateAuthorityData = ca.pem
			cfg.Clusters[name] = cl
			c := clientcmdapi.NewContext()
			c.Cluster, c.AuthInfo = name, t.Name
			cfg.Contexts[name] = c
		}
	}
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// benchStatus is `ccecert status`'s work over the stores of 10,000 and
// 1,000 credentials: Store.Credentials as status reads them, then health
// and the most-urgent-first order. Median of runs; the two sizes show it
// grows linearly.
func benchStatus(ctx context.Context, big, small benchHome, runs int) ([]benchFigure, error) {
	tBig, nBig, err := timeStatus(ctx, big, runs)
	if err != nil {
		return nil, err
	}
	tSmall, nSmall, err := timeStatus(ctx, small, runs)
	if err != nil {
		return nil, err
	}
	figs := []benchFigure{
		figure(fmt.Sprintf("status over %d credentials (read, health, sort)", nBig), ms(tBig), "ms", "< 100 ms", tBig < 100*time.Millisecond),
		info(fmt.Sprintf("status over %d credentials (read, health, sort)", nSmall), ms(tSmall), "ms"),
	}
	if tSmall > 0 && nSmall > 0 {
		ratio := float64(tBig) / float64(tSmall)
		linear := float64(nBig) / float64(nSmall)
		figs = append(figs, figure(fmt.Sprintf("status %d over %d credentials (linear: %.0f×)", nBig, nSmall, linear), ratio, "x",
			fmt.Sprintf("≤ %.0f×", 1.25*linear), ratio <= 1.25*linear))
	}
	return figs, nil
}

// timeStatus is the median time of runs status reads of h's store, and
// how many credentials it lists.
func timeStatus(ctx context.Context, h benchHome, runs int) (time.Duration, int, error) {
	st, err := h.openStore(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	th := store.DefaultThresholds()
	var times []time.Duration
	n := 0
	for range runs {
		start := time.Now()
		creds, err := st.Credentials(ctx, store.Filter{Brief: true}) // as status reads them
		if err != nil {
			return 0, 0, err
		}
		store.SortUrgent(creds, time.Now(), th)
		times = append(times, time.Since(start))
		n = len(creds)
	}
	return median(times), n, nil
}

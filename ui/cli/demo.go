package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// demoSeed is one pre-seeded credential: how far its validity lies from now.
type demoSeed struct {
	target     string // demo cluster or fleet name
	role       api.ContextRole
	age, ahead time.Duration // NotBefore = now-age, NotAfter = now+ahead
	revoked    bool
	source     store.Source
}

// demoSeeds show every health state at once, on clusters (internal and
// external contexts) and a fleet.
var demoSeeds = []demoSeed{
	{target: "staging-web", role: api.RoleExternal, age: 33 * day, ahead: -3 * day, source: store.SourceFetched},         // expired
	{target: "dev-sandbox", role: api.RoleInternal, age: 30 * day, ahead: 12 * time.Minute, source: store.SourceFetched}, // minutes left
	{target: "prod-payments", role: api.RoleInternal, age: 85 * day, ahead: 5 * day, source: store.SourceFetched},        // critical
	{target: "serverless-api", role: api.RoleExternal, age: 70 * day, ahead: 20 * day, source: store.SourceFetched},      // warning
	{target: "prod-web", role: api.RoleInternal, age: day, ahead: 364 * day, source: store.SourceFetched},                // ok
	{target: "data-pipeline", role: api.RoleInternal, age: 2 * day, ahead: 28 * day, revoked: true, source: store.SourceFetched},
	{target: "ops-tools", role: api.RoleInternal, age: 10 * day, ahead: 80 * day, source: store.SourceImported},
	{target: "global-prod", role: api.RoleFederation, age: 3 * day, ahead: 27 * day, source: store.SourceFetched}, // a UCS fleet, ok
}

const day = 24 * time.Hour

// The demo emulator's files under the demo data dir (api/emulator,
// persist_seeds.go and start_dir.go, define them; this package does not
// import the emulator): the seeds it is asked for and answers, and the
// API server URLs that moved since the last run.
func demoSeedRequestFile(dataDir string) string {
	return filepath.Join(dataDir, "emulator", "seed-request.json")
}
func demoSeedsFile(dataDir string) string { return filepath.Join(dataDir, "emulator", "seeds.json") }
func demoMovedFile(dataDir string) string { return filepath.Join(dataDir, "emulator", "moved.json") }

// demoSeedRequest and demoSeedAnswer are the JSON of those files.
type demoSeedRequest struct {
	Target    string    `json:"target"`
	Context   string    `json:"context"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	Revoked   bool      `json:"revoked,omitempty"`
}

type demoSeedAnswer struct {
	Target     string          `json:"target"`
	Context    string          `json:"context"`
	Kubeconfig json.RawMessage `json:"kubeconfig"`
}

// seedDemo prepares the demo: it starts (or joins) the demo emulator, so
// kubectl reaches the demo's clusters while this ccecert runs; an empty
// demo store is filled with credentials in every health state, issued by
// the emulator itself (its API servers accept the live ones) and written
// into the demo kubeconfig; and servers that moved to new ports since the
// last run are rewritten there.
func seedDemo(ctx context.Context, a *app) error {
	creds, err := a.store.Credentials(ctx, store.Filter{All: true})
	if err != nil {
		return err
	}
	dir := a.paths.DataDir
	if len(creds) == 0 {
		if err := requestDemoSeeds(dir, a.env.now()); err != nil {
			return err
		}
	}
	_, statErr := os.Stat(filepath.Join(dir, "emulator", "state.json"))
	if err := startDemoCloud(ctx, a); err != nil {
		return err
	}
	if len(creds) > 0 && errors.Is(statErr, os.ErrNotExist) && !a.g.quiet {
		fmt.Fprintf(a.env.stderr, "ccecert: note: this demo was seeded by an older ccecert whose demo CAs are gone: kubectl refuses its credentials; remove %s to start the demo over\n", dir)
	}
	if len(creds) == 0 {
		return storeDemoSeeds(ctx, a)
	}
	// A request another ccecert left unanswered, or its answer: not needed
	// now, and the answer holds client keys.
	_ = os.Remove(demoSeedRequestFile(dir))
	_ = os.Remove(demoSeedsFile(dir))
	return applyMovedServers(ctx, a, creds)
}

// startDemoCloud starts the demo emulator (or joins the one another
// ccecert --demo serves) for as long as a is open, without building a
// cloud client: commands that need one get it as usual, and join this
// emulator.
func startDemoCloud(ctx context.Context, a *app) error {
	if a.env.deps.DemoCloud == nil {
		return errors.New("this build has no demo cloud")
	}
	_, stop, err := a.env.deps.DemoCloud(ctx, a.paths.DataDir)
	if err != nil {
		return fmt.Errorf("start the demo emulator: %w", err)
	}
	a.onClose(func() { _ = stop() })
	return nil
}

// requestDemoSeeds asks the emulator, before it starts, for the seeds.
func requestDemoSeeds(dir string, now time.Time) error {
	reqs := make([]demoSeedRequest, 0, len(demoSeeds))
	for _, s := range demoSeeds {
		reqs = append(reqs, demoSeedRequest{
			Target: s.target, Context: string(s.role),
			NotBefore: now.Add(-s.age), NotAfter: now.Add(s.ahead), Revoked: s.revoked,
		})
	}
	data, err := json.Marshal(reqs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(demoSeedRequestFile(dir)), 0o700); err != nil {
		return fmt.Errorf("seed the demo: %w", err)
	}
	if err := os.WriteFile(demoSeedRequestFile(dir), data, 0o600); err != nil {
		return fmt.Errorf("seed the demo: %w", err)
	}
	return nil
}

// storeDemoSeeds stores the emulator's answer (its keys encrypted, as any
// credential's) and writes the live ones into the demo kubeconfig. Only
// the ccecert that serves the emulator (the one that asked) takes the
// answer. With no answer (another ccecert already served the demo
// emulator), nothing is seeded; the request waits for the next start.
func storeDemoSeeds(ctx context.Context, a *app) error {
	if demoServerPID(a.paths.DataDir) != os.Getpid() {
		return nil
	}
	data, err := os.ReadFile(demoSeedsFile(a.paths.DataDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("seed the demo: %w", err)
	}
	defer func() { _ = os.Remove(demoSeedsFile(a.paths.DataDir)) }() // it holds client keys
	var answers []demoSeedAnswer
	if err := json.Unmarshal(data, &answers); err != nil {
		return fmt.Errorf("seed the demo: %s does not parse", demoSeedsFile(a.paths.DataDir))
	}
	inv, err := a.engine.Refresh(ctx, engine.RefreshOptions{})
	if err != nil {
		return err
	}
	byName := map[string]api.Target{}
	for _, t := range inv.Targets {
		byName[t.Name] = t
	}
	for _, ans := range answers {
		s, ok := demoSeedOf(ans)
		t, known := byName[ans.Target]
		if !ok || !known {
			continue // a demo inventory without this cluster
		}
		if err := storeDemoSeed(ctx, a, s, t, ans.Kubeconfig); err != nil {
			return err
		}
	}
	return nil
}

func demoSeedOf(ans demoSeedAnswer) (demoSeed, bool) {
	for _, s := range demoSeeds {
		if s.target == ans.Target && string(s.role) == ans.Context {
			return s, true
		}
	}
	return demoSeed{}, false
}

// storeDemoSeed stores one seed with the seed's context only, as a fetch
// of that context would have.
func storeDemoSeed(ctx context.Context, a *app, s demoSeed, t api.Target, kubeconfig []byte) error {
	iss, err := api.ParseKubeconfig(kubeconfig)
	if err != nil {
		return fmt.Errorf("seed the demo (%s): %w", s.target, err)
	}
	var picked []api.IssuedContext
	for _, ic := range iss.Contexts {
		if ic.Role == s.role {
			picked = append(picked, ic)
		}
	}
	if len(picked) == 0 {
		return fmt.Errorf("seed the demo (%s): the emulator's kubeconfig has no %s context", s.target, s.role)
	}
	iss.Contexts, iss.CurrentContext = picked, picked[0].Name
	days := api.Days(int((s.age + s.ahead) / day))
	if b, _ := pem.Decode(iss.CertPEM); b != nil {
		if cert, err := x509.ParseCertificate(b.Bytes); err == nil {
			days = api.Days(int(cert.NotAfter.Sub(cert.NotBefore).Round(day) / day))
		}
	}
	c, err := a.store.AddCredential(ctx, t, iss, store.Meta{Validity: days, Source: s.source})
	if err != nil {
		return fmt.Errorf("seed the demo: %w", err)
	}
	if s.revoked {
		_, err := a.store.MarkRevoked(ctx, t.Key(), c.Subject, a.env.now().Add(-time.Hour))
		return err
	}
	if _, err := a.engine.WriteCredential(ctx, c); err != nil {
		return fmt.Errorf("seed the demo kubeconfig: %w", err)
	}
	return nil
}

// applyMovedServers rewrites, in the demo kubeconfig (the demo's own file,
// never the operator's), the servers of the demo's credentials whose API
// server moved to a new port since the last run, then forgets the moves.
func applyMovedServers(ctx context.Context, a *app, creds []store.Credential) error {
	file := demoMovedFile(a.paths.DataDir)
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var moved map[string]string
	if err != nil || json.Unmarshal(data, &moved) != nil {
		return fmt.Errorf("the demo's moved servers %s: %v (remove it)", file, err)
	}
	for _, c := range creds {
		if !movedCredential(c, moved, a.paths.Kubeconfig) {
			continue
		}
		if _, err := a.engine.WriteCredential(ctx, c); err != nil {
			return fmt.Errorf("point %s at its API server's new port: %w", c.Target.Name, err)
		}
	}
	return os.Remove(file)
}

// movedCredential points c's clusters at their new URLs; it reports
// whether c is written in kubeconfig and anything moved.
func movedCredential(c store.Credential, moved map[string]string, kubeconfig string) bool {
	if !c.Active() || len(c.Contexts) == 0 || c.Kubeconfig != kubeconfig {
		return false
	}
	any := false
	for i, ref := range c.Clusters {
		if now, ok := moved[ref.Server]; ok {
			c.Clusters[i].Server, any = now, true
		}
	}
	return any
}

package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Seeds are certificates a kept emulator issues at start on a client's
// request, with a validity window of the client's choosing (one that may
// lie in the past), so a demo can show every health state with
// credentials its API servers really accept (or refuse, once expired or
// revoked). The client writes DIR/emulator/seed-request.json before the
// emulator starts; at start the emulator issues them, records them like
// any other, writes DIR/emulator/seeds.json (0600: it holds the client
// keys) and removes the request. The client reads the answer, keeps the
// keys its own way and removes it. The files are plain JSON so that a
// client needs none of this package.

// SeedRequest is one certificate asked for.
type SeedRequest struct {
	Target    string    `json:"target"`  // cluster or fleet name
	Context   string    `json:"context"` // internal, external or federation: what it is for
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	Revoked   bool      `json:"revoked,omitempty"` // revoke it (its user's certificates so far) once issued
}

// Seed is one certificate issued: the kubeconfig CCE (or UCS, for a fleet)
// would have answered.
type Seed struct {
	Target     string          `json:"target"`
	Context    string          `json:"context"`
	Kubeconfig json.RawMessage `json:"kubeconfig"`
}

// SeedRequestFile and SeedsFile are where the request and the answer lie
// under a kept emulator's dir.
func SeedRequestFile(dir string) string { return filepath.Join(stateDir(dir), "seed-request.json") }

// SeedsFile: see SeedRequestFile.
func SeedsFile(dir string) string { return filepath.Join(stateDir(dir), "seeds.json") }

// answerSeeds issues what DIR's seed request asks for, if there is one.
func answerSeeds(s *Server, dir string) error {
	data, err := os.ReadFile(SeedRequestFile(dir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the demo's seed request: %w", err)
	}
	var reqs []SeedRequest
	if err := json.Unmarshal(data, &reqs); err != nil {
		return fmt.Errorf("the demo's seed request %s does not parse: remove it", SeedRequestFile(dir))
	}
	seeds := make([]Seed, 0, len(reqs))
	for _, r := range reqs {
		seed, ok, err := s.issueSeed(r)
		if err != nil {
			return fmt.Errorf("issue the demo's seed for %s: %w", r.Target, err)
		}
		if ok {
			seeds = append(seeds, seed)
		}
	}
	out, err := json.MarshalIndent(seeds, "", " ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(SeedsFile(dir), out); err != nil {
		return fmt.Errorf("write the demo's seeds: %w", err)
	}
	return os.Remove(SeedRequestFile(dir))
}

// issueSeed issues one seed on the main account's cluster or fleet of that
// name to the main key's user; ok is false when there is none.
func (s *Server) issueSeed(r SeedRequest) (Seed, bool, error) {
	var rt *targetRuntime
	var err error
	c, isCluster := s.idx.clusterByName[r.Target]
	var fleet *Fleet
	if isCluster {
		rt, err = s.clusterRuntime(c)
	} else {
		for i := range s.idx.inv.Fleets {
			if f := &s.idx.inv.Fleets[i]; f.Name == r.Target && f.Auth != FleetAuthToken {
				fleet = s.idx.fleets[f.ID]
			}
		}
		if fleet == nil {
			return Seed{}, false, nil
		}
		rt, err = s.fleetRuntime(fleet)
	}
	if err != nil {
		return Seed{}, false, err
	}
	urls, err := rt.endpoints()
	if err != nil {
		return Seed{}, false, err
	}
	ca, err := rt.authority()
	if err != nil {
		return Seed{}, false, err
	}
	cc, err := ca.issueClientWindow(s.UserID, r.NotBefore, r.NotAfter)
	if err != nil {
		return Seed{}, false, err
	}
	rt.record(cc, s.UserID)
	if r.Revoked {
		rt.revoke(s.UserID)
	}
	var kc kubeconfig
	if isCluster {
		kc = cceKubeconfig(urls, ca.certPEM, cc)
	} else {
		rt.mu.Lock()
		rt.connected = true
		rt.mu.Unlock()
		kc = ucsKubeconfig(fleet.Name, urls[0], ca.certPEM, kubeUser{CertData: b64(cc.certPEM), KeyData: b64(cc.keyPEM)})
	}
	data, err := json.Marshal(kc)
	if err != nil {
		return Seed{}, false, err
	}
	return Seed{Target: r.Target, Context: r.Context, Kubeconfig: data}, true, nil
}

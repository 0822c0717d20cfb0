package cli

import (
	"ccecert/api"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// statusKeys are the documented keys of a credential object, no more.
var statusKeys = []string{"id", "profile", "target", "contexts", "subject", "serial", "fingerprint_sha256",
	"not_before", "not_after", "remaining_seconds", "health", "source", "kubeconfig", "mode", "attention", "tls"}

func TestCLIStatusJSONShape(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web", "--duration", "30d")
	r := c.ok("status", "-o", "json")
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil || len(raw) != 1 {
		t.Fatalf("status -o json = %v, %d items:\n%s", err, len(raw), r.stdout)
	}
	obj := raw[0]
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := slices.Sorted(slices.Values(statusKeys))
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	str := func(k string) string {
		var s string
		if err := json.Unmarshal(obj[k], &s); err != nil {
			t.Errorf("%s is not a string: %s", k, obj[k])
		}
		return s
	}
	if id := str("id"); id != v.ID || len(id) != 8 {
		t.Errorf("id = %q, want %q", id, v.ID)
	}
	// prod-web has no EIP: its one context is internal, verified by the CA.
	var tls []contextTLS
	if err := json.Unmarshal(obj["tls"], &tls); err != nil || len(tls) != 1 || tls[0].Context != v.Contexts[0] ||
		tls[0].TLS != api.TLSVerified || !tls[0].Verified || tls[0].Role != api.RoleInternal {
		t.Errorf("tls = %s (%v); want one verified internal context", obj["tls"], err)
	}
	var target map[string]string
	if err := json.Unmarshal(obj["target"], &target); err != nil {
		t.Fatalf("target: %v", err)
	}
	web := c.target("prod-web")
	if !maps(target, map[string]string{"kind": "cce", "id": web.ID, "name": "prod-web", "region": "cn-north-4"}) {
		t.Errorf("target = %v", target)
	}
	var contexts []string
	if err := json.Unmarshal(obj["contexts"], &contexts); err != nil || !slices.Equal(contexts, []string{"prod-web-internal"}) {
		t.Errorf("contexts = %s", obj["contexts"])
	}
	if s := str("subject"); s != c.srv.UserID {
		t.Errorf("subject = %q, want the user id %q", s, c.srv.UserID)
	}
	if _, err := hex.DecodeString(str("serial")); err != nil {
		t.Errorf("serial is not hex: %v", err)
	}
	if fp := str("fingerprint_sha256"); len(fp) != 64 || !strings.HasPrefix(fp, v.ID) {
		t.Errorf("fingerprint_sha256 = %q (id %s)", fp, v.ID)
	}
	nb, err1 := time.Parse(time.RFC3339, str("not_before"))
	na, err2 := time.Parse(time.RFC3339, str("not_after"))
	if err1 != nil || err2 != nil || !nb.Before(na) {
		t.Errorf("not_before/not_after = %s/%s: %v %v", obj["not_before"], obj["not_after"], err1, err2)
	}
	near(t, "not_after", na, time.Now().AddDate(0, 0, 30))
	var rem int64
	if err := json.Unmarshal(obj["remaining_seconds"], &rem); err != nil {
		t.Errorf("remaining_seconds is not an integer: %s", obj["remaining_seconds"])
	}
	if want := int64(time.Until(na).Seconds()); rem < want-60 || rem > want+1 {
		t.Errorf("remaining_seconds = %d, want about %d", rem, want)
	}
	if h, s, m, k := str("health"), str("source"), str("mode"), str("kubeconfig"); h != "ok" || s != "fetched" || m != "inline" || k != c.kubeconfig {
		t.Errorf("health/source/mode/kubeconfig = %s/%s/%s/%s", h, s, m, k)
	}
}

func maps(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestCLIStatusExitCodes moves the CLI's clock along a 30-day certificate.
func TestCLIStatusExitCodes(t *testing.T) {
	c := newDemoCLI(t)
	c.fetch("prod-web", "--duration", "30d")
	const day = 24 * time.Hour
	steps := []struct {
		advance time.Duration // from the previous step
		within  string
		code    int
		health  string
	}{
		{0, "", 0, "ok"},
		{0, "31d", 3, "warning"},                  // expires within 31 days: the window is the warning line
		{25 * day, "", 3, "warning"},              // 5 days left of 30: R <= min(30d, L/3)
		{0, "6d", 3, "warning"},                   // within 6 days
		{0, "4d", 0, "ok"},                        // not within 4 days: --within decides, and the word agrees
		{2*day + 12*time.Hour, "", 3, "critical"}, // 2.5 days left <= min(7d, L/10)
		{3 * day, "", 3, "expired"},
		{0, "30s", 3, "expired"},
	}
	for i, s := range steps {
		c.clock.Advance(s.advance)
		args := []string{"status", "-o", "json"}
		if s.within != "" {
			args = append(args, "--within", s.within)
		}
		r := c.run(args...)
		var views []jsonCred
		if err := json.Unmarshal([]byte(r.stdout), &views); err != nil || len(views) != 1 {
			t.Fatalf("step %d: %v\n%s", i, err, r.stdout)
		}
		if r.code != s.code || views[0].Health != s.health {
			t.Errorf("step %d (--within %q): exit %d health %s, want exit %d health %s", i, s.within, r.code, views[0].Health, s.code, s.health)
		}
		if s.health == "expired" && *views[0].RemainingSeconds >= 0 {
			t.Errorf("expired credential: remaining_seconds = %d, want negative", *views[0].RemainingSeconds)
		}
	}
}

func TestCLIStatusIgnoresRevokedAndShowsThemWithAll(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web", "--duration", "1")
	c.ok("revoke", v.ID, "--yes")
	c.clock.Advance(2 * 24 * time.Hour) // it would be expired, but it is revoked
	r := c.run("status", "-o", "json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("status without --all = exit %d:\n%s", r.code, r.stdout)
	}
	all := c.statusAll()
	if len(all) != 1 || all[0].Health != "revoked" {
		t.Errorf("status --all = %+v", all)
	}
}

func TestCLIStatusTable(t *testing.T) {
	c := newDemoCLI(t)
	r := c.run("status")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "ccecert get") {
		t.Errorf("status with no credentials = exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	v := c.fetch("prod-payments", "--duration", "10d")
	r = c.ok("status")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("table:\n%s", r.stdout)
	}
	for _, want := range []string{v.ID, "prod-payments", "cn-north-4", "prod-payments-external", "9d 23h", "OK", "fetched"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row lacks %q: %s", want, lines[1])
		}
	}
}

var promLine = regexp.MustCompile(`^(ccecert_[a-z_]+)\{credential="([^"]*)",target="([^"]*)",region="([^"]*)",context="([^"]*)",profile="([^"]*)"(,health="([a-z]+)")?\} (-?[0-9]+)$`)

func TestCLIStatusPrometheus(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-payments", "--context", "both", "--duration", "7d")
	na := v.notAfter(t)
	c.clock.Advance(8 * 24 * time.Hour) // expired a day ago
	r := c.run("status", "-o", "prometheus")
	if r.code != 3 {
		t.Errorf("expired credential: exit %d, want 3", r.code)
	}
	type key struct{ metric, context string }
	got := map[key]int64{}
	typed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			typed[strings.TrimSuffix(name, " gauge")] = strings.HasSuffix(name, " gauge")
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := promLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not an exposition line: %q", line)
		}
		if m[2] != v.ID || m[3] != "prod-payments" || m[4] != "cn-north-4" || m[6] != "default" {
			t.Errorf("labels of %q", line)
		}
		n, _ := strconv.ParseInt(m[9], 10, 64)
		if m[1] == "ccecert_certificate_health" && m[8] != "expired" {
			t.Errorf("health series of an expired certificate: %q", line)
		}
		got[key{m[1], m[5]}] = n
	}
	now := c.clock.Now()
	for _, ctx := range v.Contexts {
		checks := []struct {
			metric string
			want   int64
			slack  int64
		}{
			{"ccecert_certificate_not_after_timestamp_seconds", na.Unix(), 0},
			{"ccecert_certificate_expires_in_seconds", int64(na.Sub(now).Seconds()), 60},
			{"ccecert_certificate_expired", 1, 0},
			{"ccecert_certificate_health", 1, 0},
		}
		for _, ch := range checks {
			if !typed[ch.metric] {
				t.Errorf("no # TYPE %s gauge", ch.metric)
			}
			g, ok := got[key{ch.metric, ctx}]
			if !ok || g < ch.want-ch.slack || g > ch.want+ch.slack {
				t.Errorf("%s{context=%q} = %d (present %v), want %d", ch.metric, ctx, g, ok, ch.want)
			}
		}
	}
	if len(got) != 4*len(v.Contexts) {
		t.Errorf("%d series, want %d", len(got), 4*len(v.Contexts))
	}
}

package ui

import (
	"path/filepath"
	"strings"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/components/timeline"
	"ccecert/ui/sanitize"
)

// credItem is one credential prepared for display: inert text and sort keys
// computed once, health kept current by the tick.
type credItem struct {
	cred         store.Credential
	target       string // inert target name
	region       string
	contexts     string // inert, joined
	context      string // preferred context (TLS-verifying first), raw
	verify       bool   // has a TLS-verifying context
	file         string // inert kubeconfig path
	expires      string // NotAfter in local time
	sortName     string // lowercased target name
	notAfterNano int64  // NotAfter, unix nanoseconds (0 = no expiry)
	day          int    // civil day of NotAfter in local time
	filter       string // lowercased haystack for the fuzzy filter
	health       store.Health
	rank         int
}

func newCredItem(c store.Credential, d display, now time.Time) *credItem {
	loc := d.location
	it := &credItem{
		cred:     c,
		target:   sanitize.Line(c.Target.Name),
		region:   sanitize.Line(c.Target.Region),
		contexts: sanitize.Line(strings.Join(c.Contexts, ", ")),
		file:     sanitize.Line(tildePath(c.Kubeconfig, d.home)),
	}
	if it.target == "" {
		it.target = "(unknown)"
	}
	it.context, it.verify = preferredContext(c)
	if !c.TokenOnly && !c.NotAfter.IsZero() {
		local := c.NotAfter.In(loc)
		it.expires = local.Format("2006-01-02 15:04")
		it.notAfterNano = c.NotAfter.UnixNano()
		y, mo, d := local.Date()
		it.day = timeline.CivilDay(y, int(mo), d)
	} else {
		it.expires = "—"
	}
	it.sortName = strings.ToLower(it.target)
	it.filter = strings.ToLower(strings.Join([]string{it.target, it.region, string(c.Target.Kind), it.contexts, c.ID, string(c.Source), it.file}, " "))
	it.setHealth(c.Health(now, d.thresholds))
	return it
}

// display is how items are prepared: the time zone of dates, the health
// thresholds and the home directory shown as ~.
type display struct {
	location   *time.Location
	thresholds store.Thresholds
	home       string
}

// tildePath shows a path under home as ~/…; home empty: the path as is.
func tildePath(path, home string) string {
	home = strings.TrimRight(home, "/"+string(filepath.Separator))
	switch {
	case home == "" || path == "":
		return path
	case path == home:
		return "~"
	}
	for _, sep := range []string{"/", string(filepath.Separator)} {
		if rest, ok := strings.CutPrefix(path, home+sep); ok {
			return "~" + sep + rest
		}
	}
	return path
}

func (it *credItem) setHealth(h store.Health) {
	it.health = h
	it.rank = h.Rank()
}

// due is an active credential in warning or worse: `R` renews it.
func (it *credItem) due() bool {
	switch it.health {
	case store.HealthWarning, store.HealthCritical, store.HealthExpired:
		return it.active()
	}
	return false
}

// active is neither revoked nor replaced.
func (it *credItem) active() bool { return it.cred.Active() }

// preferredContext is the context to use or copy: the first TLS-verifying
// one, else the first. Contexts and Clusters are written in the same order.
func preferredContext(c store.Credential) (name string, verify bool) {
	if len(c.Contexts) == 0 {
		return "", false
	}
	for i, ref := range c.Clusters {
		if !ref.Insecure && i < len(c.Contexts) {
			return c.Contexts[i], true
		}
	}
	if len(c.Clusters) == 0 {
		for i, r := range c.Roles {
			if r != api.RoleExternal && i < len(c.Contexts) {
				return c.Contexts[i], true
			}
		}
	}
	return c.Contexts[0], false
}

// healthChanges are the instants at which the credential's health may
// change: NotBefore (clock skew ends), the warning and critical thresholds
// and NotAfter. Health is always recomputed with store's own rules at them.
func healthChanges(c store.Credential, th store.Thresholds) []time.Time {
	if !c.Active() || c.TokenOnly || c.NotAfter.IsZero() {
		return nil
	}
	life := c.NotAfter.Sub(c.NotBefore)
	return []time.Time{
		c.NotBefore,
		c.NotAfter.Add(-th.Warning.Limit(life)),
		c.NotAfter.Add(-th.Critical.Limit(life)),
		c.NotAfter,
	}
}

// badge is the health word shown in tables; colour is never the only signal.
func badge(h store.Health) string {
	switch h {
	case store.HealthOK:
		return "OK"
	case store.HealthWarning:
		return "WARN"
	case store.HealthCritical:
		return "CRIT"
	case store.HealthExpired:
		return "EXPIRED"
	case store.HealthRevoked:
		return "REVOKED"
	case store.HealthReplaced:
		return "REPLACED"
	case store.HealthNotYet:
		return "NOT YET"
	}
	return "NO EXPIRY"
}

// lifetimeBar draws the share of NotBefore→NotAfter used at now in w cells;
// a revoked or replaced credential's lifetime is over, drawn empty.
func lifetimeBar(c store.Credential, now time.Time, w int) string {
	if !c.Active() || c.TokenOnly || c.NotAfter.IsZero() || !c.NotAfter.After(c.NotBefore) {
		if w == barWidth {
			return barOver
		}
		return strings.Repeat("·", w)
	}
	used := float64(now.Sub(c.NotBefore)) / float64(c.NotAfter.Sub(c.NotBefore))
	n := int(used*float64(w) + 0.5)
	n = max(0, min(n, w))
	if w == barWidth {
		// A slice of the constant: no string built per row per second.
		return barGlyphs[len("█")*(w-n) : len("█")*(2*w-n)]
	}
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}

// barEnd is an instant no later than the first at which
// lifetimeBar(c, ·, w) reads differently than at now: where the used share
// reaches the next half cell, a millisecond early against rounding.
func barEnd(c store.Credential, now time.Time, w int) int64 {
	if !c.Active() || c.TokenOnly || c.NotAfter.IsZero() || !c.NotAfter.After(c.NotBefore) {
		return never
	}
	life := float64(c.NotAfter.Sub(c.NotBefore))
	n := max(0, int(float64(now.Sub(c.NotBefore))/life*float64(w)+0.5))
	if n >= w {
		return never
	}
	return c.NotBefore.UnixNano() + int64((float64(n)+0.5)/float64(w)*life) - int64(time.Millisecond)
}

// The table's bars, barWidth cells: barGlyphs[3(w-n):3(2w-n)] is n cells
// used and w-n left (both glyphs are 3 bytes); barOver is a lifetime over.
const (
	barGlyphs = "██████████░░░░░░░░░░"
	barOver   = "··········"
)

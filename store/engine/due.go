package engine

import (
	"fmt"
	"time"

	"ccecert/store"
)

// dueSoonAfterIssue is how soon after its issue a certificate may turn
// critical before renewing it is pointless: its renewal, of the same
// lifetime, would be due as soon.
const dueSoonAfterIssue = time.Hour

// dueAtOnce says why renewing c would not help, or "": with the configured
// thresholds, a certificate of c's lifetime is critical (nearly) as soon
// as it is issued, so every renewal would be due again at once (critical
// within 7d on 7-day certificates). The warning names the thresholds.
func (e *Engine) dueAtOnce(c store.Credential) string {
	lifetime := c.Lifetime()
	if lifetime <= 0 {
		return ""
	}
	crit := e.Config.Thresholds.Critical
	limit := crit.Limit(lifetime)
	if lifetime-limit > dueSoonAfterIssue {
		return ""
	}
	return fmt.Sprintf("credential %s: its certificates last %s and thresholds.critical (within %s, lifetime_divisor %d) makes one critical %s, so a renewal would be due at once; it is renewed only once it expires: shorten thresholds.critical.within or fetch certificates that last longer",
		c.ID, store.FormatRemaining(lifetime), store.FormatRemaining(crit.Within), crit.Divisor, dueWhen(lifetime-limit))
}

func dueWhen(after time.Duration) string {
	if after <= 0 {
		return "from its issue"
	}
	return store.FormatRemaining(after) + " after its issue"
}

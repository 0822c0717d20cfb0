package store

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ccecert/api"
)

// merge lays the values set in fc over c, validating each; errors name the
// field.
func (c *Config) merge(fc fileConfig) error {
	if fc.Regions != nil {
		c.Regions = nil
		for _, r := range *fc.Regions {
			if r = strings.TrimSpace(r); r != "" {
				c.Regions = append(c.Regions, r)
			}
		}
	}
	if fc.Concurrency != nil {
		if n := *fc.Concurrency; n < 1 || n > 1024 {
			return fmt.Errorf("field concurrency: %d is out of range: use 1..1024", n)
		}
		c.Concurrency = *fc.Concurrency
	}
	if err := c.mergeTimeouts(fc.Timeouts); err != nil {
		return err
	}
	if err := c.mergeThresholds(fc.Thresholds); err != nil {
		return err
	}
	if fc.Kubeconfig != nil {
		c.Kubeconfig = strings.TrimSpace(*fc.Kubeconfig)
	}
	if fc.Naming != nil {
		if err := ValidateNaming(*fc.Naming); err != nil {
			return fmt.Errorf("field naming: %w", err)
		}
		c.Naming = *fc.Naming
	}
	if fc.Mode != nil {
		m := Mode(strings.TrimSpace(*fc.Mode))
		if m != ModeInline && m != ModeExec {
			return fmt.Errorf("field mode: %q is not a write mode: use inline or exec", *fc.Mode)
		}
		c.Mode = m
	}
	if fc.Duration != nil {
		days, err := parseDays(string(*fc.Duration))
		if err != nil {
			return fmt.Errorf("field duration: %w", err)
		}
		c.Duration = api.Days(days)
	}
	if fc.Keyring != nil {
		c.Keyring = *fc.Keyring
	}
	if fc.InventoryStale != nil {
		d, err := positiveDuration(*fc.InventoryStale)
		if err != nil {
			return fmt.Errorf("field inventory_stale: %w", err)
		}
		c.InventoryStale = d
	}
	if fc.ExecAutoRenew != nil {
		c.ExecAutoRenew = *fc.ExecAutoRenew
	}
	return c.Cloud.merge(fc.fileCloud)
}

func (c *Config) mergeTimeouts(ft *fileTimeouts) error {
	if ft == nil {
		return nil
	}
	for _, f := range []struct {
		name string
		in   *scalar
		out  *time.Duration
	}{{"timeouts.request", ft.Request, &c.Timeouts.Request}, {"timeouts.region", ft.Region, &c.Timeouts.Region}} {
		if f.in == nil {
			continue
		}
		d, err := positiveDuration(*f.in)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.name, err)
		}
		*f.out = d
	}
	return nil
}

func (c *Config) mergeThresholds(ft *fileThresholds) error {
	if ft == nil {
		return nil
	}
	if err := mergeThreshold("thresholds.warning", ft.Warning, &c.Thresholds.Warning); err != nil {
		return err
	}
	if err := mergeThreshold("thresholds.critical", ft.Critical, &c.Thresholds.Critical); err != nil {
		return err
	}
	if c.Thresholds.Critical.Within > c.Thresholds.Warning.Within {
		return fmt.Errorf("field thresholds.critical.within: %s is longer than thresholds.warning.within (%s); make critical the shorter one",
			FormatRemaining(c.Thresholds.Critical.Within), FormatRemaining(c.Thresholds.Warning.Within))
	}
	return nil
}

func mergeThreshold(name string, in *fileThreshold, out *Threshold) error {
	if in == nil {
		return nil
	}
	if in.Within != nil {
		d, err := ParseDuration(string(*in.Within))
		if err != nil || d < 0 {
			return fmt.Errorf("field %s.within: invalid duration %q: use e.g. 30d or 12h", name, string(*in.Within))
		}
		out.Within = d
	}
	if in.LifetimeDivisor != nil {
		if n := *in.LifetimeDivisor; n < 0 || n > 1000 {
			return fmt.Errorf("field %s.lifetime_divisor: %d is out of range: use 0 (ignore the lifetime) .. 1000", name, n)
		}
		out.Divisor = *in.LifetimeDivisor
	}
	return nil
}

func positiveDuration(s scalar) (time.Duration, error) {
	d, err := ParseDuration(string(s))
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be positive", string(s))
	}
	return d, nil
}

// parseDays reads a default validity: "max", N, Nd or Nw days, 1..1827.
func parseDays(s string) (int, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "max" || in == "-1" {
		return api.MaxDuration, nil
	}
	mult := 1
	switch {
	case strings.HasSuffix(in, "d"):
		in = strings.TrimSuffix(in, "d")
	case strings.HasSuffix(in, "w"):
		in, mult = strings.TrimSuffix(in, "w"), 7
	}
	n, err := strconv.Atoi(in)
	if err != nil || n < 1 || n > 1827 || n*mult > 1827 {
		return 0, fmt.Errorf("%q is not a validity: use 1..1827 days (30d), weeks (4w) or max", s)
	}
	return n * mult, nil
}

// KubeconfigPath is the kubeconfig file to write, absolute: the configured
// one (with a leading ~/ expanded), else the first of KubeconfigPaths.
func (c Config) KubeconfigPath(getenv func(string) string) string {
	p := c.Kubeconfig
	if p == "" {
		if paths := KubeconfigPaths(getenv); len(paths) > 0 {
			return paths[0]
		}
		return ""
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	if abs, err := AbsPath(p); err == nil {
		return abs
	}
	return p
}

package styles

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

type env map[string]string

func (e env) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}
func (e env) Getenv(k string) string { return e[k] }

func render(e env) string {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(e), termenv.WithTTY(true))
	return Default(r).Critical.Render("CRIT")
}

func TestNoColorIsHonoured(t *testing.T) {
	colour := env{"TERM": "xterm-256color", "COLORTERM": "truecolor"}
	if got := render(colour); !strings.Contains(got, "\x1b[") {
		t.Fatalf("a colour terminal got no colour: %q", got)
	}
	colour["NO_COLOR"] = "1"
	if got := render(colour); got != "CRIT" {
		t.Fatalf("NO_COLOR still styled: %q", got)
	}
}

func TestAdaptiveToBackground(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	dark := Default(r).Warn.Render("x")
	r.SetHasDarkBackground(false)
	light := Default(r).Warn.Render("x")
	if dark == light {
		t.Fatalf("same warning colour on light and dark backgrounds: %q", dark)
	}
}

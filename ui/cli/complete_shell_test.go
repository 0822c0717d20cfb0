package cli

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// bashCompletion runs the real bash completion script of the built binary
// for the words typed so far (the last one being completed) and returns
// COMPREPLY. _get_comp_words_by_ref stands in for the bash-completion
// package, which the script uses when it is installed.
func (c *cli) bashCompletion(bin string, words ...string) []string {
	c.t.Helper()
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	script := `_get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
source <("$BIN" completion bash)
COMP_WORDS=("$BIN" ` + strings.Join(quoted, " ") + `)
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
__start_ccecert "$BIN" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.CommandContext(c.t.Context(), "bash", "-c", script)
	cmd.Env = append(c.environ(), "BIN="+bin)
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
	}
	return strings.Fields(string(out))
}

// TestBashCompletionScript: TAB in bash reaches the dynamic completion
// through the script `ccecert completion bash` prints.
func TestBashCompletionScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed: the completion script is not run")
	}
	bin := ccecertBinary(t)
	c := newDemoCLI(t)
	v := c.fetch("prod-payments")
	if got := c.bashCompletion(bin, "get", "prod-p"); !slices.Equal(got, []string{"prod-payments"}) {
		t.Errorf("get prod-p<TAB> = %q, want prod-payments", got)
	}
	if got := c.bashCompletion(bin, "revoke", v.ID[:4]); !slices.Equal(got, []string{v.ID}) {
		t.Errorf("revoke %s<TAB> = %q, want %s", v.ID[:4], got, v.ID)
	}
	if got := c.bashCompletion(bin, "get", "x", "--context", "ex"); !slices.Equal(got, []string{"external"}) {
		t.Errorf("get x --context ex<TAB> = %q, want external", got)
	}
	if got := c.bashCompletion(bin, "status", "-o", "pro"); !slices.Equal(got, []string{"prometheus"}) {
		t.Errorf("status -o pro<TAB> = %q, want prometheus", got)
	}
}

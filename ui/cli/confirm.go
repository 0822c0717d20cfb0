package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// confirm asks a yes/no question on a terminal. Without one (a script, a
// pipe) it refuses, so nothing changes unless --yes was given.
func confirm(a *app, question string) (bool, error) {
	f, ok := a.env.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, fmt.Errorf("%w: stdin is not a terminal, pass --yes to go ahead", errNotConfirmed)
	}
	fmt.Fprintf(a.env.stderr, "%s [y/N] ", question)
	line, _ := bufio.NewReader(f).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, errNotConfirmed
}

package termbg

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"ccecert/ui/internal/ptytest"
)

// terminal plays the terminal on master: once the query has arrived it
// writes answer (nothing when answer is empty). It returns what the
// program wrote, once the test is done with it.
func terminal(t *testing.T, master *os.File, answer string) func() string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		var seen bytes.Buffer
		buf := make([]byte, 256)
		answered := false
		for {
			n, err := master.Read(buf)
			seen.Write(buf[:n])
			if !answered && strings.Contains(seen.String(), "\x1b[6n") {
				answered = true
				if answer != "" {
					_, _ = master.WriteString(answer)
				}
				got <- seen.String()
				return
			}
			if err != nil {
				got <- seen.String()
				return
			}
		}
	}()
	return func() string {
		select {
		case s := <-got:
			return s
		case <-time.After(10 * time.Second):
			t.Fatal("the terminal never saw the query")
			return ""
		}
	}
}

func TestDetectReadsTheTerminalsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		dark         bool
	}{
		{"light", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[24;1R", false},
		{"dark", "\x1b]11;rgb:1e1e/1e1e/2e2e\a\x1b[24;1R", true},
		{"no OSC 11: the cursor only", "\x1b[24;1R", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, slave := ptytest.Open(t)
			seen := terminal(t, master, tc.answer)
			// A minute: the answer, not the timeout, must end the wait.
			if got := Detect(slave, slave, time.Minute); got != tc.dark {
				t.Errorf("Detect = dark %v, want %v", got, tc.dark)
			}
			if q := seen(); !strings.Contains(q, "\x1b]11;?") {
				t.Errorf("the terminal saw %q, not the OSC 11 query", q)
			}
		})
	}
}

func TestDetectFallsBackToDark(t *testing.T) {
	master, slave := ptytest.Open(t)
	seen := terminal(t, master, "") // asked, never answers
	if !Detect(slave, slave, 50*time.Millisecond) {
		t.Error("a terminal that never answers reads light, want dark")
	}
	seen()

	f, err := os.CreateTemp(t.TempDir(), "not-a-terminal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !Detect(f, f, time.Minute) {
		t.Error("a file reads light, want dark")
	}
	if data, _ := os.ReadFile(f.Name()); len(data) != 0 {
		t.Errorf("Detect wrote %q into a file that is not a terminal", data)
	}
}

func TestDetectRestoresTheTerminal(t *testing.T) {
	master, slave := ptytest.Open(t)
	before, err := getTermios(slave)
	if err != nil {
		t.Fatal(err)
	}
	seen := terminal(t, master, "\x1b[1;1R")
	Detect(slave, slave, time.Minute)
	seen()
	after, err := getTermios(slave)
	if err != nil {
		t.Fatal(err)
	}
	if *before != *after {
		t.Errorf("terminal modes changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

func getTermios(f *os.File) (*unix.Termios, error) {
	return unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
}

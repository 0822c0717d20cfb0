package keysource

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// helperEnv makes the test binary play a credential process (helperMain).
const helperEnv = "KEYSOURCE_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode))
	}
	goleak.VerifyTestMain(m)
}

// helperMain is the test binary run as a credential process. Modes:
// mint (POST to KEYSOURCE_TEST_MINT_URL and print its answer), fail, hang,
// garbage, expired, env (reports whether a secret reached it).
func helperMain(mode string) int {
	switch mode {
	case "mint":
		resp, err := http.Post(os.Getenv("KEYSOURCE_TEST_MINT_URL"), "application/json", nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer resp.Body.Close()
		_, _ = io.Copy(os.Stdout, resp.Body)
		return 0
	case "fail":
		fmt.Fprintln(os.Stderr, "+ echo SECRET-IN-STDERR")
		return 3
	case "hang":
		time.Sleep(time.Hour)
		return 0
	case "garbage":
		fmt.Println("SecretAccessKey=GARBAGE-SECRET not json")
		return 0
	case "expired":
		return printKeys("AKEXPIRED", "SK-EXPIRED-0000", time.Now().Add(-time.Hour))
	case "env":
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, "CLOUD_SDK_SK=") || strings.HasPrefix(kv, "HUAWEICLOUD_SDK_SK=") {
				return printKeys("SAW-A-SECRET", "x", time.Time{})
			}
		}
		return printKeys("CLEAN-ENV", os.Getenv("KEYSOURCE_TEST_PLAIN"), time.Time{})
	}
	return 9
}

func printKeys(ak, sk string, exp time.Time) int {
	out := map[string]any{"Version": 1, "AccessKeyId": ak, "SecretAccessKey": sk}
	if !exp.IsZero() {
		out["Expiration"] = exp.UTC().Format(time.RFC3339)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
	return 0
}

// helperSpec runs this test binary as the credential process.
func helperSpec(t *testing.T, timeout time.Duration) Spec {
	t.Helper()
	return Spec{Type: "process", Command: []string{helperExe(t), "-test.run=^$"}, Timeout: timeout}
}

// helperExe is this test binary.
func helperExe(tb testing.TB) string {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	return exe
}

// helperEnviron is the environment of a helper in mode, plus extra.
func helperEnviron(mode string, extra ...string) func() []string {
	return func() []string { return append(append(os.Environ(), helperEnv+"="+mode), extra...) }
}

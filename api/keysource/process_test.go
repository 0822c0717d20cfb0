package keysource

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestProcessBadOutput: a process that fails, hangs, prints garbage or
// prints expired keys gets one line naming the profile, the command and
// the fix, and no secret of its output or stderr.
func TestProcessBadOutput(t *testing.T) {
	for _, tc := range []struct {
		mode, want string
		timeout    time.Duration
	}{
		{"fail", "run the command yourself", 0},
		{"hang", "did not finish within 500ms (killed)", 500 * time.Millisecond},
		{"garbage", "printed no credential JSON", 0},
		{"expired", "expired at", 0},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			o := Opener{Environ: helperEnviron(tc.mode)}
			src, err := o.Open("work", helperSpec(t, tc.timeout))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = src.Keys(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, `profile "work"`) || !strings.Contains(msg, "keysource.test") || !strings.Contains(msg, tc.want) {
				t.Fatalf("error %q lacks the profile, the command or %q", msg, tc.want)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "SECRET") || strings.Contains(msg, "SK-EXPIRED") {
				t.Fatalf("error %q is not one line without secrets", msg)
			}
			if tc.mode == "hang" && time.Since(start) > 10*time.Second {
				t.Fatal("the hanging process was not killed at its timeout")
			}
		})
	}
}

// TestProcessEnvironmentHasNoSecrets: the credential process gets our
// environment minus CLOUD_SDK_SK and the SDK's HUAWEICLOUD_SDK_SK.
func TestProcessEnvironmentHasNoSecrets(t *testing.T) {
	o := Opener{Environ: helperEnviron("env", "CLOUD_SDK_SK=parent-secret-1", "HUAWEICLOUD_SDK_SK=parent-secret-2",
		"KEYSOURCE_TEST_PLAIN=plain-value")}
	src, err := o.Open("work", helperSpec(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	k, err := src.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if k.AK != "CLEAN-ENV" || string(k.SK) != "plain-value" {
		t.Fatalf("the process saw %q: a secret reached it, or the plain variable did not", k.AK)
	}
	if !k.Expires.IsZero() {
		t.Fatal("keys without Expiration got one")
	}
}

func TestProcessNeedsACommand(t *testing.T) {
	_, err := Opener{}.Open("work", Spec{Type: "process"})
	if err == nil || !strings.Contains(err.Error(), `profile "work"`) || !strings.Contains(err.Error(), "needs a command") {
		t.Fatalf("got %v", err)
	}
	_, err = Opener{}.Open("work", Spec{Type: "process", Command: []string{"/nonexistent/otc-auth"}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProcessNotFound(t *testing.T) {
	src, _ := Opener{}.Open("work", Spec{Type: "process", Command: []string{"ccecert-no-such-helper"}})
	_, err := src.Keys(context.Background())
	if err == nil || !strings.Contains(err.Error(), "install it or fix the profile's command") {
		t.Fatalf("got %v", err)
	}
}

func TestParseProcessJSON(t *testing.T) {
	p := &processSource{profile: "w", argv: []string{"x"}}
	k, err := p.parse([]byte(`{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","SessionToken":"T","Expiration":"2030-01-02T03:04:05+01:00","Extra":1}`))
	if err != nil || k.AK != "AK" || string(k.SK) != "SK" || string(k.SecurityToken) != "T" ||
		!k.Expires.Equal(time.Date(2030, 1, 2, 2, 4, 5, 0, time.UTC)) {
		t.Fatalf("%+v %v", k, err)
	}
	for in, want := range map[string]string{
		`{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}`:                     "Version 2",
		`{"Version":1,"SecretAccessKey":"S"}`:                                       "no AccessKeyId",
		`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}`: "not RFC 3339",
	} {
		if _, err := p.parse([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}

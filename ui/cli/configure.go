package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ccecert/api"
)

// envProfile names the profile when --profile is not given.
const envProfile = "CCECERT_PROFILE"

func newConfigureCmd(g *globalFlags, e env) *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "configure [--profile NAME]",
		Short: "Store a profile's access keys, the SK encrypted (the stored credential source)",
		Long: `Ask for an access key (AK) and its secret key (SK, not echoed on a terminal),
check them with one IAM call (list the projects) against the configured
endpoint, and store them for the profile: the SK encrypted with the store's
age identity (the OS keyring or the identity file), never in plaintext, on a
command line or in the config file. A profile whose source is "stored" uses
them. Keys that do not work are not stored; running it again replaces them.`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			name := strings.TrimSpace(profile)
			if name == "" {
				name = strings.TrimSpace(e.getenv(envProfile))
			}
			if name == "" {
				name = "default"
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return configure(ctx, a, name) })
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "the profile whose keys to store (default $"+envProfile+", else default)")
	return cmd
}

// configure asks for the keys, checks them and stores them.
func configure(ctx context.Context, a *app, profile string) error {
	in := newKeyReader(a.env.stdin)
	fmt.Fprintf(a.env.stderr, "Profile %s: access key ID (AK): ", profile)
	ak, err := in.line()
	if err != nil || ak == "" {
		return fmt.Errorf("profile %q: no access key given: run `ccecert configure --profile %s` and type the AK (IAM → My Credentials → Access Keys)", profile, profile)
	}
	fmt.Fprint(a.env.stderr, "Secret access key (SK, not shown): ")
	sk, err := in.secret()
	fmt.Fprintln(a.env.stderr)
	if err != nil || sk.Empty() {
		return fmt.Errorf("profile %q: no secret key given: run `ccecert configure --profile %s` again and type the SK", profile, profile)
	}
	n, err := checkKeys(ctx, a, ak, sk)
	if err != nil {
		return fmt.Errorf("profile %q: the keys were not stored, they do not work: %w", profile, err)
	}
	if err := a.store.SaveKeys(ctx, profile, ak, sk); err != nil {
		return fmt.Errorf("profile %q: %w", profile, err)
	}
	if !a.g.quiet {
		fmt.Fprintf(a.env.stdout, "Profile %s: the keys work (%d projects) and are stored; the SK is encrypted with the %s. A profile with source: stored uses them.\n",
			profile, n, a.store.Identity())
	}
	return nil
}

// checkKeys lists the projects with the keys (one IAM call) against the
// configured site and endpoint, and returns how many it sees.
func checkKeys(ctx context.Context, a *app, ak string, sk api.Secret) (int, error) {
	getenv := a.env.getenv
	cfg, err := api.ConfigWithKeys(getenv, typedKeys{ak: ak, sk: sk})
	if err != nil {
		return 0, err
	}
	applyCloudConfig(&cfg, a.cfg.Cloud, getenv)
	cfg.Timeout = a.cfg.Timeouts.Request
	cfg.UserAgent = "ccecert/" + a.env.deps.Version
	cfg.Now = a.env.now
	cfg.Retry = api.RetryPolicy{MaxAttempts: 1}
	client, err := api.New(cfg)
	if err != nil {
		return 0, err
	}
	defer client.Close()
	projects, err := client.Projects(ctx)
	return len(projects), err
}

// typedKeys are the keys typed into configure.
type typedKeys struct {
	ak string
	sk api.Secret
}

func (typedKeys) Describe() string { return "configure (the keys typed in)" }

func (k typedKeys) Keys(context.Context) (api.Keys, error) { return api.Keys{AK: k.ak, SK: k.sk}, nil }

// keyReader reads the AK as a line and the SK without echo on a terminal
// (a plain line from a pipe).
type keyReader struct {
	r    *bufio.Reader
	file *os.File // the terminal, when stdin is one
}

func newKeyReader(stdin io.Reader) *keyReader {
	k := &keyReader{r: bufio.NewReader(stdin)}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		k.file = f
	}
	return k
}

func (k *keyReader) line() (string, error) {
	s, err := k.r.ReadString('\n')
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		return "", err
	}
	return strings.TrimSpace(s), nil
}

func (k *keyReader) secret() (api.Secret, error) {
	if k.file != nil {
		b, err := term.ReadPassword(int(k.file.Fd()))
		return api.Secret(strings.TrimSpace(string(b))), err
	}
	s, err := k.line()
	return api.Secret(s), err
}

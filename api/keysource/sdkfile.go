package keysource

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"gopkg.in/ini.v1"

	"ccecert/api"
)

// EnvSDKCredentialsFile names the SDK's credentials file
// (core/auth/provider/profile_provider.go, credentialsFileEnvName).
const EnvSDKCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"

// The SDK's sections: its profile provider reads [basic] for project
// credentials and [global] for account credentials. ccecert signs both with
// one key: the profile's section, else [basic], else [global].
var sdkSections = []string{"basic", "global"}

// sdkFileSource reads the SDK's credentials file as the SDK does (ini.v1,
// keys ak, sk, security_token; idp_id and id_token_file for OIDC
// federation, which win over ak/sk there). It is read again whenever it
// changed. project_id, domain_id and iam_endpoint are not used: ccecert
// lists the projects itself and signs against the profile's site.
type sdkFileSource struct {
	profile string
	path    string
	section string // empty: basic, else global
	// federate exchanges an ID token for temporary keys (Opener.Federate);
	// newFed wraps it in a renewing source for one idp_id/id_token_file.
	federate Federator
	newFed   func(f federationSpec) *refreshing

	mu    sync.Mutex
	stamp fileStamp
	keys  api.Keys
	fed   *refreshing // the file names idp_id and id_token_file
	spec  federationSpec
}

// federationSpec is a section's OpenID Connect federation: the identity
// provider and the file the ID token is read from (again at each
// exchange: the IdP's tooling rewrites it).
type federationSpec struct {
	idpID, tokenFile string
}

// fileStamp identifies one version of a file.
type fileStamp struct {
	mod  time.Time
	size int64
}

// Describe names the file, and the identity provider once the file
// named one.
func (s *sdkFileSource) Describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fed != nil {
		return s.fed.describe
	}
	return "sdk-file " + s.path
}

func (s *sdkFileSource) fail(format string, args ...any) error {
	return fmt.Errorf("profile %q: credentials file %s: %s", s.profile, s.path, fmt.Sprintf(format, args...))
}

// Keys reads the file when it is new or changed since the last read.
func (s *sdkFileSource) Keys(ctx context.Context) (api.Keys, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return api.Keys{}, s.fail("not found: create it ([basic] with ak = … and sk = …, mode 600) or point %s or the profile's file at it", EnvSDKCredentialsFile)
	case err != nil:
		return api.Keys{}, s.fail("%v", err)
	case !fi.Mode().IsRegular():
		return api.Keys{}, s.fail("not a regular file: point the profile at the credentials file")
	case fi.Mode().Perm()&0o077 != 0 && runtime.GOOS != "windows": // (no such bits there)
		return api.Keys{}, s.fail("readable by others (mode %04o): chmod 600 %s", fi.Mode().Perm(), s.path)
	}
	stamp := fileStamp{fi.ModTime(), fi.Size()}
	if stamp == s.stamp && (s.keys.AK != "" || s.fed != nil) {
		return s.current(ctx)
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return api.Keys{}, s.fail("%v", err)
	}
	k, fed, err := s.parse(data)
	if err != nil {
		return api.Keys{}, err
	}
	s.stamp, s.keys = stamp, k
	switch {
	case fed == federationSpec{}:
		s.fed, s.spec = nil, fed
	case s.federate == nil:
		return api.Keys{}, s.fail("idp_id and id_token_file (OIDC federation) need a cloud client to exchange the token: report it")
	case s.fed == nil || s.spec != fed:
		s.fed, s.spec = s.newFed(fed), fed // (the same settings keep their keys)
	}
	return s.current(ctx)
}

// current is the file's keys, or the federation's (renewed before they
// expire, one exchange at a time). Called with s.mu held; it lets go of
// it while waiting for an exchange.
func (s *sdkFileSource) current(ctx context.Context) (api.Keys, error) {
	if s.fed == nil {
		return s.keys, nil
	}
	fed := s.fed
	s.mu.Unlock()
	defer s.mu.Lock()
	return fed.Keys(ctx)
}

// Invalidate forgets the keys the cloud refused: the file is read again.
func (s *sdkFileSource) Invalidate(refused api.Keys) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fed != nil {
		s.fed.Invalidate(refused) // the next call exchanges the ID token again
		return
	}
	s.stamp, s.keys = fileStamp{}, api.Keys{}
}

// parse reads the keys of the section, or its federation settings
// (idp_id and id_token_file win over ak/sk, as in the SDK's
// BaseCredentials). Its errors name lines, never their text (a line may
// hold the SK).
func (s *sdkFileSource) parse(data []byte) (api.Keys, federationSpec, error) {
	fail := func(err error) (api.Keys, federationSpec, error) { return api.Keys{}, federationSpec{}, err }
	f, err := ini.Load(data)
	if err != nil {
		if n := badIniLine(data); n > 0 {
			return fail(s.fail("line %d is not [section] nor key = value: fix it", n))
		}
		return fail(s.fail("not an ini file the SDK can read: fix it"))
	}
	names := sdkSections
	if s.section != "" {
		names = []string{s.section}
	}
	for _, name := range names {
		sec, err := f.GetSection(name)
		if err != nil {
			continue
		}
		get := func(key string) string { return strings.TrimSpace(sec.Key(key).String()) }
		if idp, file := get("idp_id"), get("id_token_file"); idp != "" || file != "" {
			if idp == "" || file == "" {
				return fail(s.fail("[%s] needs both idp_id and id_token_file for OIDC federation: add the missing one", name))
			}
			return api.Keys{}, federationSpec{idpID: idp, tokenFile: file}, nil
		}
		ak, sk := get("ak"), get("sk")
		if ak == "" && sk == "" && s.section == "" {
			continue
		}
		if ak == "" || sk == "" {
			return fail(s.fail("[%s] needs both ak and sk: add the missing one", name))
		}
		return api.Keys{AK: ak, SK: api.Secret(sk), SecurityToken: api.Secret(get("security_token"))}, federationSpec{}, nil
	}
	if s.section != "" {
		return fail(s.fail("no section [%s]: add it or fix the profile's section", s.section))
	}
	return fail(s.fail("no [basic] or [global] section with ak and sk (or idp_id and id_token_file): add one"))
}

// badIniLine is the first line (1-based) that is neither blank, a comment,
// a [section] nor key = value (or key: value); 0 when none is.
func badIniLine(data []byte) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "", line[0] == ';', line[0] == '#':
		case line[0] == '[':
			if !strings.Contains(line, "]") {
				return n
			}
		case !strings.ContainsAny(line, "=:"):
			return n
		}
	}
	return 0
}

// sdkFilePath is the file of a profile: its own, else
// HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials (the
// SDK's order). A leading ~/ is the home directory.
func sdkFilePath(file, home string, getenv func(string) string) string {
	if file == "" {
		file = getenv(EnvSDKCredentialsFile)
	}
	if file == "" {
		return filepath.Join(home, ".huaweicloud", "credentials")
	}
	if rest, ok := strings.CutPrefix(file, "~/"); ok {
		return filepath.Join(home, rest)
	}
	return file
}

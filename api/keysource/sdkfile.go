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

	mu    sync.Mutex
	stamp fileStamp
	keys  api.Keys
}

// fileStamp identifies one version of a file.
type fileStamp struct {
	mod  time.Time
	size int64
}

func (s *sdkFileSource) Describe() string { return "sdk-file " + s.path }

func (s *sdkFileSource) fail(format string, args ...any) error {
	return fmt.Errorf("profile %q: credentials file %s: %s", s.profile, s.path, fmt.Sprintf(format, args...))
}

// Keys reads the file when it is new or changed since the last read.
func (s *sdkFileSource) Keys(context.Context) (api.Keys, error) {
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
	if stamp == s.stamp && s.keys.AK != "" {
		return s.keys, nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return api.Keys{}, s.fail("%v", err)
	}
	k, err := s.parse(data)
	if err != nil {
		return api.Keys{}, err
	}
	s.stamp, s.keys = stamp, k
	return k, nil
}

// Invalidate forgets the keys the cloud refused: the file is read again.
func (s *sdkFileSource) Invalidate(api.Keys) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stamp, s.keys = fileStamp{}, api.Keys{}
}

// parse reads the keys of the section. Its errors name lines, never their
// text (a line may hold the SK).
func (s *sdkFileSource) parse(data []byte) (api.Keys, error) {
	f, err := ini.Load(data)
	if err != nil {
		if n := badIniLine(data); n > 0 {
			return api.Keys{}, s.fail("line %d is not [section] nor key = value: fix it", n)
		}
		return api.Keys{}, s.fail("not an ini file the SDK can read: fix it")
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
		if get("idp_id") != "" && get("id_token_file") != "" {
			return api.Keys{}, s.fail("[%s] uses idp_id and id_token_file (OIDC federation), which ccecert cannot exchange for keys yet: use a process source that prints temporary keys", name)
		}
		ak, sk := get("ak"), get("sk")
		if ak == "" && sk == "" && s.section == "" {
			continue
		}
		if ak == "" || sk == "" {
			return api.Keys{}, s.fail("[%s] needs both ak and sk: add the missing one", name)
		}
		return api.Keys{AK: ak, SK: api.Secret(sk), SecurityToken: api.Secret(get("security_token"))}, nil
	}
	if s.section != "" {
		return api.Keys{}, s.fail("no section [%s]: add it or fix the profile's section", s.section)
	}
	return api.Keys{}, s.fail("no [basic] or [global] section with ak and sk: add one")
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

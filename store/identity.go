package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/zalando/go-keyring"
)

// Where the age identity lives.
const (
	IdentityKeyring = "keyring" // the OS keyring, service "ccecert"
	IdentityFile    = "file"    // a 0600 file in the data dir
)

const (
	keyringUser      = "age-identity"
	identityFileName = "age-identity.txt"
	keyringTimeout   = 5 * time.Second
	metaRecipient    = "age_recipient"
)

// IdentityInfo says where the key that encrypts stored private keys lives.
type IdentityInfo struct {
	Source  string // IdentityKeyring or IdentityFile
	File    string // the identity file, when Source is IdentityFile
	Created bool   // made by this Open: tell the operator once
	Reason  string // why the file was used, when a keyring was asked for
	// Notice is for the operator, once: e.g. the identity file's mode was
	// tightened to 0600. Empty when there is nothing to say.
	Notice string
}

// String says it for humans.
func (i IdentityInfo) String() string {
	if i.Source == IdentityKeyring {
		return `OS keyring (service "ccecert")`
	}
	s := "identity file " + i.File
	if i.Reason != "" {
		s += " (" + i.Reason + ")"
	}
	return s
}

// loadIdentity finds or (for a new store only) creates the age identity,
// inside a write transaction so two first runs agree on one identity. The
// identity's recipient is recorded in the store and checked on every open.
// A non-empty offReason says why the OS keyring is not used.
func (s *Store) loadIdentity(ctx context.Context, offReason string) error {
	file := s.paths.identityFile()
	useKeyring := offReason == ""
	if s.knownIdentity(ctx, file, useKeyring) {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		recorded, err := metaGet(ctx, tx, metaRecipient)
		if err != nil {
			return err
		}
		id, info, kr, err := findIdentity(file, useKeyring)
		if err != nil {
			return err
		}
		if !useKeyring {
			kr.reason = offReason
		}
		if id == nil {
			if recorded != "" {
				return fmt.Errorf("this store's encryption key (age identity for %s) is neither in %s nor in the OS keyring (service %q): restore it, or move %s aside and fetch the credentials again", recorded, file, AppName, s.paths.db)
			}
			if id, info, err = createIdentity(file, kr); err != nil {
				return err
			}
		}
		if recorded != "" && recorded != id.Recipient().String() {
			return fmt.Errorf("the age identity in %s does not match this store (made for %s): restore the right one; stored keys cannot be decrypted with it", info, recorded)
		}
		if recorded == "" {
			if err := metaSet(ctx, tx, metaRecipient, id.Recipient().String()); err != nil {
				return err
			}
		}
		s.identity, s.idInfo = id, info
		return nil
	})
}

// knownIdentity is the common case without a write transaction: the store
// records a recipient and its identity is found and matches.
func (s *Store) knownIdentity(ctx context.Context, file string, useKeyring bool) bool {
	var recorded string
	err := withRetry(ctx, func() error {
		return s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaRecipient).Scan(&recorded)
	})
	if err != nil {
		return false
	}
	id, info, _, err := findIdentity(file, useKeyring)
	if err != nil || id == nil || id.Recipient().String() != recorded {
		return false
	}
	s.identity, s.idInfo = id, info
	return true
}

// keyringState is what findIdentity learnt about the OS keyring.
type keyringState struct {
	usable bool   // answered (with or without an identity)
	reason string // why not, when it did not
}

// findIdentity looks in the identity file, then the keyring. A nil
// identity with a nil error means there is none yet.
func findIdentity(file string, useKeyring bool) (*age.X25519Identity, IdentityInfo, keyringState, error) {
	data, err := ReadLocalFile(file, maxIdentitySize)
	switch {
	case err == nil:
		id, perr := parseIdentity(data)
		if perr != nil {
			return nil, IdentityInfo{}, keyringState{}, fmt.Errorf("identity file %s is damaged (%v): restore it from a backup", file, perr)
		}
		notice, err := tightenIdentity(file)
		if err != nil {
			return nil, IdentityInfo{}, keyringState{}, err
		}
		return id, IdentityInfo{Source: IdentityFile, File: file, Notice: notice}, keyringState{}, nil
	case !errIsNotExist(err):
		return nil, IdentityInfo{}, keyringState{}, fmt.Errorf("identity file %s cannot be read (%w): restore it from a backup", file, err)
	}
	if !useKeyring {
		return nil, IdentityInfo{}, keyringState{}, nil
	}
	secret, err := withTimeout(func() (string, error) { return keyring.Get(AppName, keyringUser) })
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return nil, IdentityInfo{}, keyringState{usable: true}, nil
	case err != nil:
		return nil, IdentityInfo{}, keyringState{reason: "no OS keyring available"}, nil
	}
	id, perr := parseIdentity([]byte(secret))
	if perr != nil {
		return nil, IdentityInfo{}, keyringState{}, fmt.Errorf("the age identity in the OS keyring (service %q) is damaged (%v): restore it", AppName, perr)
	}
	return id, IdentityInfo{Source: IdentityKeyring}, keyringState{usable: true}, nil
}

// createIdentity makes a new identity in the keyring, or in the file when
// the keyring cannot take it.
func createIdentity(file string, kr keyringState) (*age.X25519Identity, IdentityInfo, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, IdentityInfo{}, fmt.Errorf("generate encryption key: %w", err)
	}
	reason := kr.reason
	if kr.usable {
		_, err := withTimeout(func() (string, error) { return "", keyring.Set(AppName, keyringUser, id.String()) })
		if err == nil {
			return id, IdentityInfo{Source: IdentityKeyring, Created: true}, nil
		}
		reason = "the OS keyring refused it"
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, IdentityInfo{}, fmt.Errorf("create identity file %s: %w", file, err)
	}
	content := "# ccecert: age identity that encrypts stored private keys. Keep it secret; without it they cannot be read.\n" + id.String() + "\n"
	if _, err := io.WriteString(f, content); err != nil {
		_ = f.Close()
		_ = os.Remove(file)
		return nil, IdentityInfo{}, fmt.Errorf("write identity file %s: %w", file, err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		_ = os.Remove(file)
		return nil, IdentityInfo{}, fmt.Errorf("write identity file %s: %w", file, err)
	}
	return id, IdentityInfo{Source: IdentityFile, File: file, Created: true, Reason: reason}, nil
}

// tightenIdentity makes the identity file 0600 when others could read it,
// and says so.
func tightenIdentity(file string) (string, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return "", fmt.Errorf("check identity file %s: %w", file, err)
	}
	mode := fi.Mode().Perm()
	if mode&0o077 == 0 || runtime.GOOS == "windows" { // Windows has no such bits to tighten
		return "", nil
	}
	if err := os.Chmod(file, 0o600); err != nil {
		return "", fmt.Errorf("identity file %s is mode %04o, readable by others, and could not be made 0600 (%w): chmod 600 it", file, mode, err)
	}
	return fmt.Sprintf("identity file %s was mode %04o, readable by others; ccecert set it to 0600. Anyone who read it can decrypt the stored keys: if that may have happened, revoke and fetch them again", file, mode), nil
}

// parseIdentity reads an age X25519 identity, skipping comment lines.
func parseIdentity(data []byte) (*age.X25519Identity, error) {
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, err := age.ParseX25519Identity(line)
		if err != nil {
			return nil, errors.New("not an age X25519 identity")
		}
		return id, nil
	}
	return nil, errors.New("no identity in it")
}

// withTimeout bounds a keyring call: a desktop keyring may wait for an
// unlock prompt, and a missing D-Bus service may hang.
func withTimeout(fn func() (string, error)) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := fn()
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-time.After(keyringTimeout):
		return "", errors.New("OS keyring did not answer")
	}
}

// encrypt seals plaintext to the store's identity.
func (s *Store) encrypt(plaintext []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, s.identity.Recipient())
	if err != nil {
		return nil, fmt.Errorf("encrypt key: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("encrypt key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypt key: %w", err)
	}
	return buf.Bytes(), nil
}

// decrypt opens what encrypt sealed.
func (s *Store) decrypt(ciphertext []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ciphertext), s.identity)
	if err != nil {
		return nil, fmt.Errorf("decrypt stored key: %w (was the identity replaced?)", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decrypt stored key: %w", err)
	}
	return out, nil
}

// metaGet reads a meta value; "" when unset.
func metaGet(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// metaSet writes a meta value.
func metaSet(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ccecert/api"
)

// Credentials lists stored credentials, newest first.
func (s *Store) Credentials(ctx context.Context, f Filter) ([]Credential, error) {
	var where []string
	var args []any
	if !f.All {
		where = append(where, "revoked_at = 0 AND replaced_by = ''")
	}
	if f.Source != "" {
		where = append(where, "source = ?")
		args = append(args, string(f.Source))
	}
	if f.TargetKey != "" {
		where = append(where, "target_key = ?")
		args = append(args, f.TargetKey)
	}
	if f.Profile != "" {
		where = append(where, "profile = ?")
		args = append(args, f.Profile)
	}
	columns := credColumns
	if f.Brief {
		columns = briefColumns
	}
	q := "SELECT " + columns + " FROM credentials"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// Newest last in the table (rowid order is insertion order): read
	// backwards, the rows come (nearly) in the listing's order.
	q += " ORDER BY rowid DESC"
	var out []Credential
	err := withRetry(ctx, func() error {
		out = out[:0]
		if n := s.credentialCount(ctx); cap(out) < n {
			out = make([]Credential, 0, n)
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = readListing(rows, newRowDecoder(f.Brief), out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read credentials from %s: %w", s.paths.db, err)
	}
	if len(out) == 0 {
		out = nil
	}
	newestFirst(out)
	if err := s.markPending(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// credentialCount is how many rows the table holds (from its smallest
// index, so quick), to size a listing; 0 when unknown.
func (s *Store) credentialCount(ctx context.Context) int {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM credentials").Scan(&n); err != nil {
		return 0
	}
	return n
}

// newestFirst puts creds in the listing's order, newest first, then by
// id. They come nearly so (see Credentials): often nothing moves, and
// otherwise each is moved once, by an order sorted as indexes (a
// Credential is large to swap).
func newestFirst(creds []Credential) {
	cmp := func(a, b *Credential) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	sorted := true
	for i := 1; i < len(creds) && sorted; i++ {
		sorted = cmp(&creds[i-1], &creds[i]) <= 0
	}
	if sorted {
		return
	}
	order := make([]int, len(creds))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp(&creds[i], &creds[j]) })
	permute(creds, order)
}

// Find resolves what an operator typed: a credential id, a unique id prefix
// (4+ characters), or a context name written for it (the active credential
// of that context wins over history). Unknown and ambiguous references are
// clear errors (ErrNotFound, *AmbiguousError).
func (s *Store) Find(ctx context.Context, ref string) (Credential, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Credential{}, fmt.Errorf("%w: no credential given", ErrNotFound)
	}
	// An exact id (what exec-mode kubeconfigs pass, on every kubectl call)
	// is one row, whatever the store holds.
	var exact Credential
	found := false
	err := withRetry(ctx, func() error {
		var err error
		exact, found, err = getCredential(ctx, s.db, ref)
		return err
	})
	if err != nil {
		return Credential{}, fmt.Errorf("read credential %s from %s: %w", ref, s.paths.db, err)
	}
	if found {
		one := []Credential{exact}
		if err := s.markPending(ctx, one); err != nil {
			return Credential{}, err
		}
		return one[0], nil
	}
	all, err := s.Credentials(ctx, Filter{All: true})
	if err != nil {
		return Credential{}, err
	}
	var byPrefix, byContext []Credential
	for _, c := range all {
		if c.ID == ref {
			return c, nil
		}
		if len(ref) >= 4 && strings.HasPrefix(c.ID, strings.ToLower(ref)) {
			byPrefix = append(byPrefix, c)
		}
		if slices.Contains(c.Contexts, ref) {
			byContext = append(byContext, c)
		}
	}
	if c, err, ok := pickOne(ref, byPrefix, false); ok {
		return c, err
	}
	if c, err, ok := pickOne(ref, byContext, true); ok {
		return c, err
	}
	return Credential{}, fmt.Errorf("%w: no stored credential has the id, id prefix or context name %q", ErrNotFound, ref)
}

// pickOne chooses among matches: one → it; several → the only active one
// (when preferActive), else the newest when none is active, else ambiguous.
func pickOne(ref string, matches []Credential, preferActive bool) (Credential, error, bool) {
	switch len(matches) {
	case 0:
		return Credential{}, nil, false
	case 1:
		return matches[0], nil, true
	}
	if preferActive {
		var active []Credential
		for _, c := range matches {
			if c.Active() {
				active = append(active, c)
			}
		}
		switch len(active) {
		case 0:
			return matches[0], nil, true // newest first
		case 1:
			return active[0], nil, true
		}
		matches = active
	}
	ids := make([]string, len(matches))
	for i, c := range matches {
		ids[i] = c.ID
	}
	return Credential{}, &AmbiguousError{Ref: ref, Candidates: ids}, true
}

// Key decrypts a credential's private key (PEM). It is the only way a key
// leaves the store: for a kubeconfig, an export or an ExecCredential.
func (s *Store) Key(ctx context.Context, id string) (api.Secret, error) {
	return s.secret(ctx, id, false)
}

// Token decrypts a token-only credential's bearer token.
func (s *Store) Token(ctx context.Context, id string) (api.Secret, error) {
	return s.secret(ctx, id, true)
}

func (s *Store) secret(ctx context.Context, id string, token bool) (api.Secret, error) {
	var enc []byte
	var tokenOnly bool
	var source, file string
	err := withRetry(ctx, func() error {
		return s.db.QueryRowContext(ctx, "SELECT secret_enc, token_only, source, kubeconfig FROM credentials WHERE id = ?", id).
			Scan(&enc, &tokenOnly, &source, &file)
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("%w: no credential %q", ErrNotFound, id)
	case err != nil:
		return nil, fmt.Errorf("read credential %s from %s: %w", id, s.paths.db, err)
	case tokenOnly != token && token:
		return nil, fmt.Errorf("credential %s has a certificate, not a token: ask for its key", id)
	case tokenOnly != token:
		return nil, fmt.Errorf("credential %s is token-only: it has no private key", id)
	case enc == nil:
		return nil, fmt.Errorf("credential %s was %s from %s and ccecert keeps no key for it: fetch a new one with `ccecert get`", id, source, file)
	}
	plain, err := s.decrypt(enc)
	if err != nil {
		return nil, fmt.Errorf("credential %s: %w", id, err)
	}
	return api.Secret(plain), nil
}

// Written is where a credential's contexts went after a kubeconfig merge.
type Written struct {
	Kubeconfig string
	User       string
	Contexts   []string
	Mode       Mode
}

// ErrSuperseded is MarkReplaced refusing a replacement that is itself
// replaced already: a newer credential took over meanwhile.
var ErrSuperseded = errors.New("replacement superseded")

// RecordWrite notes where a credential was written (after Store.Merge).
func (s *Store) RecordWrite(ctx context.Context, id string, w Written) error {
	kube, err := AbsPath(w.Kubeconfig)
	if err != nil {
		return fmt.Errorf("record kubeconfig for %s: %w", id, err)
	}
	w.Kubeconfig = kube
	return s.update(ctx, id, "record kubeconfig for", func(tx *sql.Tx) (sql.Result, error) {
		contexts := jsonString(nonNil(w.Contexts))
		return tx.ExecContext(ctx, "UPDATE credentials SET kubeconfig=?, user_entry=?, contexts=?, mode=? WHERE id=?",
			w.Kubeconfig, w.User, contexts, string(w.Mode), id)
	})
}

// MarkReplaced records that newID (a renewal) supersedes oldID. The old
// credential stays in history.
func (s *Store) MarkReplaced(ctx context.Context, oldID, newID string) error {
	if oldID == newID {
		return fmt.Errorf("mark %s replaced: a credential cannot replace itself", oldID)
	}
	return s.update(ctx, oldID, "mark replaced", func(tx *sql.Tx) (sql.Result, error) {
		next, found, err := getCredential(ctx, tx, newID)
		if err != nil || !found {
			if err == nil {
				err = fmt.Errorf("%w: no credential %q", ErrNotFound, newID)
			}
			return nil, err
		}
		if next.ReplacedBy != "" {
			// Never a cycle, never a chain into a dead end.
			return nil, fmt.Errorf("%w: credential %s is itself replaced by %s", ErrSuperseded, newID, next.ReplacedBy)
		}
		return tx.ExecContext(ctx, "UPDATE credentials SET replaced_by=? WHERE id=?", newID, oldID)
	})
}

// MarkRevoked marks every unrevoked credential of user CN on a target as
// revoked at at (CCE revokes all of a user's certificates on a cluster) and
// returns their ids.
func (s *Store) MarkRevoked(ctx context.Context, targetKey, userCN string, at time.Time) ([]string, error) {
	var ids []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ids = ids[:0]
		rows, err := tx.QueryContext(ctx, "SELECT id FROM credentials WHERE target_key=? AND subject=? AND revoked_at=0 AND token_only=0 ORDER BY id", targetKey, userCN)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE credentials SET revoked_at=? WHERE target_key=? AND subject=? AND revoked_at=0 AND token_only=0",
			unixNano(at), targetKey, userCN)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mark revoked in %s: %w", s.paths.db, err)
	}
	return ids, nil
}

// update runs one UPDATE-like statement for id and reports an unknown id.
func (s *Store) update(ctx context.Context, id, what string, fn func(tx *sql.Tx) (sql.Result, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := fn(tx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: no credential %q", ErrNotFound, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, id, err)
	}
	return nil
}

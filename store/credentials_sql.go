package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// credColumns are the columns scanCredential reads, in order.
const credColumns = `id, target, contexts, clusters, user_entry, subject, serial, fingerprint, issuer,
	not_before, not_after, validity, legacy, source, kubeconfig, mode, created_at, revoked_at,
	replaced_by, cert_pem, token_only, secret_enc IS NOT NULL, profile`

type rowScanner interface{ Scan(dest ...any) error }

// credColumnCount is how many columns credColumns names.
const credColumnCount = 23

// DamagedError is a stored credential row that does not decode. In a
// listing the row is reported (Credential.Damage) beside the good ones.
type DamagedError struct {
	ID  string
	Err error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("credential %s is damaged in the database (%v): revoke or fetch it again, or delete the row", e.ID, e.Err)
}

func (e *DamagedError) Unwrap() error { return e.Err }

// scanListed reads one row of a listing: a row that does not decode is
// returned with only what could be read and Damage set, never an error,
// so one bad row cannot hide the others.
func scanListed(rows *sql.Rows) (Credential, error) {
	c, err := scanCredential(rows)
	var de *DamagedError
	switch {
	case err == nil:
		return c, nil
	case errors.As(err, &de):
		c.Damage = de.Error()
		return c, nil
	}
	// A value of the wrong type: read the row untyped for its id.
	dest := make([]any, credColumnCount)
	for i := range dest {
		dest[i] = new(any)
	}
	if rerr := rows.Scan(dest...); rerr != nil {
		return Credential{}, err
	}
	id := fmt.Sprint(*(dest[0].(*any)))
	if b, ok := (*(dest[0].(*any))).([]byte); ok {
		id = string(b)
	}
	return Credential{ID: id, Damage: (&DamagedError{ID: id, Err: err}).Error()}, nil
}

// scanCredential reads one row of credColumns; a row whose JSON does not
// decode is a *DamagedError, with the columns read so far in the result.
func scanCredential(r rowScanner) (Credential, error) {
	var c Credential
	var target, contexts, clusters, validity, source, mode string
	var notBefore, notAfter, created, revoked int64
	var legacy, tokenOnly, hasKey bool
	err := r.Scan(&c.ID, &target, &contexts, &clusters, &c.User, &c.Subject, &c.Serial, &c.Fingerprint, &c.Issuer,
		&notBefore, &notAfter, &validity, &legacy, &source, &c.Kubeconfig, &mode, &created, &revoked,
		&c.ReplacedBy, &c.CertPEM, &tokenOnly, &hasKey, &c.Profile)
	if err != nil {
		return Credential{}, err
	}
	for _, f := range []struct {
		data string
		into any
	}{{target, &c.Target}, {contexts, &c.Contexts}, {clusters, &c.Clusters}, {validity, &c.Validity}} {
		if err := json.Unmarshal([]byte(f.data), f.into); err != nil {
			c.NotBefore, c.NotAfter = unixTime(notBefore), unixTime(notAfter)
			c.CreatedAt, c.RevokedAt = unixTime(created), unixTime(revoked)
			c.Source, c.Mode = Source(source), Mode(mode)
			return c, &DamagedError{ID: c.ID, Err: fmt.Errorf("does not decode: %w", err)}
		}
	}
	c.NotBefore, c.NotAfter = unixTime(notBefore), unixTime(notAfter)
	c.CreatedAt, c.RevokedAt = unixTime(created), unixTime(revoked)
	c.Legacy, c.TokenOnly, c.HasKey = legacy, tokenOnly, hasKey
	c.Source, c.Mode = Source(source), Mode(mode)
	for _, cl := range c.Clusters {
		c.Roles = append(c.Roles, cl.Role)
	}
	return c, nil
}

// unixTime maps 0 to the zero time, else Unix nanoseconds to UTC.
func unixTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// unixNano maps the zero time to 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// insertRow writes a new credential row.
func insertRow(ctx context.Context, tx *sql.Tx, c Credential, secretEnc []byte) error {
	target, _ := json.Marshal(c.Target)
	contexts, _ := json.Marshal(nonNil(c.Contexts))
	clusters, _ := json.Marshal(nonNilClusters(c.Clusters))
	validity, _ := json.Marshal(c.Validity)
	_, err := tx.ExecContext(ctx, `INSERT INTO credentials(id, target_key, target, contexts, clusters, user_entry,
		subject, serial, fingerprint, issuer, not_before, not_after, validity, legacy, source, kubeconfig, mode,
		created_at, revoked_at, replaced_by, cert_pem, token_only, secret_enc, profile)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Target.Key(), string(target), string(contexts), string(clusters), c.User,
		c.Subject, c.Serial, c.Fingerprint, c.Issuer, unixNano(c.NotBefore), unixNano(c.NotAfter), string(validity),
		c.Legacy, string(c.Source), c.Kubeconfig, string(c.Mode), unixNano(c.CreatedAt), unixNano(c.RevokedAt),
		c.ReplacedBy, c.CertPEM, c.TokenOnly, secretEnc, profileOr(c.Profile))
	return err
}

// upgradeRow gives a credential stored without a key (scanned) the key and
// the origin of a later fetch or import of the same certificate.
func upgradeRow(ctx context.Context, tx *sql.Tx, c Credential, secretEnc []byte) error {
	target, _ := json.Marshal(c.Target)
	contexts, _ := json.Marshal(nonNil(c.Contexts))
	clusters, _ := json.Marshal(nonNilClusters(c.Clusters))
	validity, _ := json.Marshal(c.Validity)
	_, err := tx.ExecContext(ctx, `UPDATE credentials SET target_key=?, target=?, contexts=?, clusters=?, user_entry=?,
		validity=?, legacy=?, source=?, kubeconfig=?, mode=?, secret_enc=?, profile=? WHERE id=?`,
		c.Target.Key(), string(target), string(contexts), string(clusters), c.User, string(validity), c.Legacy,
		string(c.Source), c.Kubeconfig, string(c.Mode), secretEnc, profileOr(c.Profile), c.ID)
	return err
}

// getCredential reads one credential by exact id.
func getCredential(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (Credential, bool, error) {
	c, err := scanCredential(q.QueryRowContext(ctx, "SELECT "+credColumns+" FROM credentials WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return Credential{}, false, nil
	}
	if err != nil {
		return Credential{}, false, err
	}
	return c, true, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilClusters(s []ClusterRef) []ClusterRef {
	if s == nil {
		return []ClusterRef{}
	}
	return s
}

// jsonString marshals v (a plain value that always marshals).
func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

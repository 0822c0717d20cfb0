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

// briefColumns are credColumns without the certificate PEM (Filter.Brief):
// what a listing shows is in columns of its own, stored when the
// credential was recorded.
const briefColumns = `id, target, contexts, clusters, user_entry, subject, serial, fingerprint, issuer,
	not_before, not_after, validity, legacy, source, kubeconfig, mode, created_at, revoked_at,
	replaced_by, NULL, token_only, secret_enc IS NOT NULL, profile`

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

// scanListed reads one row of a listing: a row whose values are of the
// wrong type comes back damaged (with its id), never an error, so one bad
// row cannot hide the others; finishListed does the same for JSON that
// does not decode.
func scanListed(rows *sql.Rows, r *rowReader) (scannedRow, error) {
	w, err := r.scan(rows)
	if err == nil {
		return w, nil
	}
	// A value of the wrong type: read the row untyped for its id.
	dest := make([]any, credColumnCount)
	for i := range dest {
		dest[i] = new(any)
	}
	if rerr := rows.Scan(dest...); rerr != nil {
		return scannedRow{}, err
	}
	id := fmt.Sprint(*(dest[0].(*any)))
	if b, ok := (*(dest[0].(*any))).([]byte); ok {
		id = string(b)
	}
	c := Credential{ID: id, Damage: (&DamagedError{ID: id, Err: err}).Error()}
	if n, ok := (*(dest[16].(*any))).(int64); ok {
		c.CreatedAt = unixTime(n) // its place in the listing
	}
	return scannedRow{cred: c, damaged: true}, nil
}

// finishListed decodes a listed row: JSON that does not decode leaves
// the credential with what could be read and Damage set.
func finishListed(d *rowDecoder, w *scannedRow) Credential {
	c, err := d.finish(w)
	if de := (*DamagedError)(nil); errors.As(err, &de) {
		c.Damage = de.Error()
	}
	return c
}

// scanCredential reads one row of credColumns; a row whose JSON does not
// decode is a *DamagedError, with the columns read so far in the result.
func scanCredential(r rowScanner) (Credential, error) {
	w, err := newRowReader().scan(r)
	if err != nil {
		return Credential{}, err
	}
	return newRowDecoder(false).finish(&w)
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

package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"ccecert/api"
)

// scannedRow is one row of credColumns as scanned, before its JSON and
// times are decoded (rowDecoder.finish).
type scannedRow struct {
	cred                      Credential // the columns that need no decoding
	text                      [4]string  // JSON: target, contexts, clusters, validity
	source, mode              string
	notBefore, notAfter       int64
	created, revoked          int64
	legacy, tokenOnly, hasKey bool
	damaged                   bool // cred is a row that did not scan (scanListed)
}

// rowReader scans rows into one scannedRow through fixed destinations, so
// reading a row allocates only what the driver does.
type rowReader struct {
	cur   scannedRow
	dests []any
}

func newRowReader() *rowReader {
	r := &rowReader{}
	c, w := &r.cur.cred, &r.cur
	r.dests = []any{&c.ID, &w.text[0], &w.text[1], &w.text[2], &c.User, &c.Subject, &c.Serial, &c.Fingerprint, &c.Issuer,
		&w.notBefore, &w.notAfter, &w.text[3], &w.legacy, &w.source, &c.Kubeconfig, &w.mode, &w.created, &w.revoked,
		&c.ReplacedBy, &c.CertPEM, &w.tokenOnly, &w.hasKey, &c.Profile}
	return r
}

// scan reads one row of credColumns (or briefColumns).
func (r *rowReader) scan(rs rowScanner) (scannedRow, error) {
	r.cur = scannedRow{}
	err := rs.Scan(r.dests...)
	return r.cur, err
}

// rowDecoder decodes the JSON columns of credential rows (target,
// contexts, clusters, validity). In a listing each distinct text is
// decoded once: a target's credentials carry the same target snapshot,
// context names and endpoints, so 10,000 credentials over 1,000 targets
// cost about 1,000 decodes of each, not 10,000 (status and the TUI read
// every row). Each row gets its own copies of the slices, so no two
// credentials share one that a caller could change.
type rowDecoder struct {
	brief bool // Filter.Brief: the clusters without their CA data
	// Decoded values by their JSON text.
	targets  map[string]api.Target
	contexts map[string][]string
	clusters map[string][]ClusterRef
	validity map[string]api.Validity
}

// newRowDecoder returns a decoder for the rows of one query; brief for
// Filter.Brief.
func newRowDecoder(brief bool) *rowDecoder {
	return &rowDecoder{
		brief:   brief,
		targets: map[string]api.Target{}, contexts: map[string][]string{},
		clusters: map[string][]ClusterRef{}, validity: map[string]api.Validity{},
	}
}

// finish decodes a scanned row into its credential; a row whose JSON does
// not decode is a *DamagedError, with the columns read so far in the
// result.
func (d *rowDecoder) finish(w *scannedRow) (Credential, error) {
	c := w.cred
	if w.damaged {
		return c, nil
	}
	c.NotBefore, c.NotAfter = unixTime(w.notBefore), unixTime(w.notAfter)
	c.CreatedAt, c.RevokedAt = unixTime(w.created), unixTime(w.revoked)
	c.Source, c.Mode = Source(w.source), Mode(w.mode)
	if err := d.decode(&c, &w.text); err != nil {
		return c, &DamagedError{ID: c.ID, Err: fmt.Errorf("does not decode: %w", err)}
	}
	c.Legacy, c.TokenOnly, c.HasKey = w.legacy, w.tokenOnly, w.hasKey
	if len(c.Clusters) > 0 {
		c.Roles = make([]api.ContextRole, len(c.Clusters))
		for i, cl := range c.Clusters {
			c.Roles[i] = cl.Role
		}
	}
	return c, nil
}

// decode fills c's JSON-held fields from their texts.
func (d *rowDecoder) decode(c *Credential, text *[4]string) error {
	if err := memoDecode(d.targets, text[0], &c.Target); err != nil {
		return err
	}
	if err := memoDecode(d.contexts, text[1], &c.Contexts); err != nil {
		return err
	}
	if err := d.decodeClusters(text[2], &c.Clusters); err != nil {
		return err
	}
	if err := memoDecode(d.validity, text[3], &c.Validity); err != nil {
		return err
	}
	c.Target.Members = slices.Clone(c.Target.Members)
	c.Contexts, c.Clusters = slices.Clone(c.Contexts), slices.Clone(c.Clusters)
	return nil
}

// decodeClusters decodes the clusters column; brief, without their CA
// data, which no listing shows (and which is most of the text).
func (d *rowDecoder) decodeClusters(text string, into *[]ClusterRef) error {
	if !d.brief {
		return memoDecode(d.clusters, text, into)
	}
	if v, ok := d.clusters[text]; ok {
		*into = v
		return nil
	}
	var refs []clusterRefNoCA
	if err := json.Unmarshal([]byte(text), &refs); err != nil {
		return err
	}
	var v []ClusterRef
	if refs != nil {
		v = make([]ClusterRef, len(refs))
		for i, r := range refs {
			v[i] = ClusterRef(r)
		}
	}
	d.clusters[text] = v
	*into = v
	return nil
}

// clusterRefNoCA is ClusterRef as a brief listing decodes it: CAData is
// skipped, not decoded.
type clusterRefNoCA struct {
	Role          api.ContextRole `json:"role"`
	Name          string          `json:"name"`
	Server        string          `json:"server"`
	CAData        []byte          `json:"-"`
	Insecure      bool            `json:"insecure,omitempty"`
	TLSServerName string          `json:"tls_server_name,omitempty"`
	TLSReason     string          `json:"tls_reason,omitempty"`
}

// memoDecode decodes data into *into, once per distinct text. A text that
// does not decode is not remembered.
func memoDecode[T any](memo map[string]T, data string, into *T) error {
	if v, ok := memo[data]; ok {
		*into = v
		return nil
	}
	var v T
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return err
	}
	memo[data] = v
	*into = v
	return nil
}

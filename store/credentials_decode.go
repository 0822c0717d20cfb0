package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"ccecert/api"
)

// rowDecoder decodes the JSON columns of credential rows (target,
// contexts, clusters, validity). In a listing each distinct text is
// decoded once: a target's credentials carry the same target snapshot,
// context names and endpoints, so 10,000 credentials over 1,000 targets
// cost about 1,000 decodes of each, not 10,000 (status and the TUI read
// every row). Each row gets its own copies of the slices, so no two
// credentials share one that a caller could change.
type rowDecoder struct {
	brief bool // Filter.Brief: the clusters without their CA data
	// The row being scanned: Scan writes through dests into these, so
	// reading a row allocates only what the driver does and what is kept.
	cur                       Credential
	text                      [4]string // JSON: target, contexts, clusters, validity
	source, mode              string
	notBefore, notAfter       int64
	created, revoked          int64
	legacy, tokenOnly, hasKey bool
	dests                     []any
	// Decoded values by their JSON text.
	targets  map[string]api.Target
	contexts map[string][]string
	clusters map[string][]ClusterRef
	validity map[string]api.Validity
}

// newRowDecoder returns a decoder for the rows of one query, in the order
// of credColumns; brief for Filter.Brief.
func newRowDecoder(brief bool) *rowDecoder {
	d := &rowDecoder{
		brief:   brief,
		targets: map[string]api.Target{}, contexts: map[string][]string{},
		clusters: map[string][]ClusterRef{}, validity: map[string]api.Validity{},
	}
	c := &d.cur
	d.dests = []any{&c.ID, &d.text[0], &d.text[1], &d.text[2], &c.User, &c.Subject, &c.Serial, &c.Fingerprint, &c.Issuer,
		&d.notBefore, &d.notAfter, &d.text[3], &d.legacy, &d.source, &c.Kubeconfig, &d.mode, &d.created, &d.revoked,
		&c.ReplacedBy, &c.CertPEM, &d.tokenOnly, &d.hasKey}
	return d
}

// scan reads one row into d.cur and returns it; a row whose JSON does not
// decode is a *DamagedError, with the columns read so far in the result.
func (d *rowDecoder) scan(r rowScanner) (Credential, error) {
	d.cur = Credential{}
	if err := r.Scan(d.dests...); err != nil {
		return Credential{}, err
	}
	c := &d.cur
	c.NotBefore, c.NotAfter = unixTime(d.notBefore), unixTime(d.notAfter)
	c.CreatedAt, c.RevokedAt = unixTime(d.created), unixTime(d.revoked)
	c.Source, c.Mode = Source(d.source), Mode(d.mode)
	if err := d.decode(c); err != nil {
		return *c, &DamagedError{ID: c.ID, Err: fmt.Errorf("does not decode: %w", err)}
	}
	c.Legacy, c.TokenOnly, c.HasKey = d.legacy, d.tokenOnly, d.hasKey
	if len(c.Clusters) > 0 {
		c.Roles = make([]api.ContextRole, len(c.Clusters))
		for i, cl := range c.Clusters {
			c.Roles[i] = cl.Role
		}
	}
	return *c, nil
}

// decode fills c's JSON-held fields from the row just scanned.
func (d *rowDecoder) decode(c *Credential) error {
	if err := memoDecode(d.targets, d.text[0], &c.Target); err != nil {
		return err
	}
	if err := memoDecode(d.contexts, d.text[1], &c.Contexts); err != nil {
		return err
	}
	if err := d.decodeClusters(&c.Clusters); err != nil {
		return err
	}
	if err := memoDecode(d.validity, d.text[3], &c.Validity); err != nil {
		return err
	}
	c.Target.Members = slices.Clone(c.Target.Members)
	c.Contexts, c.Clusters = slices.Clone(c.Contexts), slices.Clone(c.Clusters)
	return nil
}

// decodeClusters decodes the clusters column; brief, without their CA
// data, which no listing shows (and which is most of the text).
func (d *rowDecoder) decodeClusters(into *[]ClusterRef) error {
	if !d.brief {
		return memoDecode(d.clusters, d.text[2], into)
	}
	if v, ok := d.clusters[d.text[2]]; ok {
		*into = v
		return nil
	}
	var refs []clusterRefNoCA
	if err := json.Unmarshal([]byte(d.text[2]), &refs); err != nil {
		return err
	}
	var v []ClusterRef
	if refs != nil {
		v = make([]ClusterRef, len(refs))
		for i, r := range refs {
			v[i] = ClusterRef(r)
		}
	}
	d.clusters[d.text[2]] = v
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

package emulator

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxBody bounds request bodies; every real one is a few hundred bytes.
const maxBody = 1 << 20

// ServeHTTP answers one API request: count and log it, inject faults, find
// the route (unknown → 404 APIGW.0101), verify the signature and the
// project, then run the route's handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, "") }

// serve answers one API request; via is the real host name it was sent to
// in proxy mode ("" on the base URL), which must be the one the documents
// give for its service and region.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, via string) {
	s.reqs.Add(1)
	rec := RequestRecord{Time: s.now(), Method: r.Method, Path: r.URL.Path, RequestID: newRequestID(), Host: via}
	rec.ProjectID = requestProject(r)
	rec.Region = s.idx.regionOf(rec.ProjectID)
	w.Header().Set("X-Request-Id", rec.RequestID)
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		rec.Status = sw.status
		s.record(rec)
	}()
	// Read the body first: only then does net/http watch the connection,
	// so a client that gives up on a hung request ends it.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeGatewayError(sw, http.StatusBadRequest, "APIGW.0201", "Request body could not be read")
		return
	}
	if !s.injectFaults(sw, r, rec.Region) {
		return
	}
	if rec.Region != "" && slices.Contains(s.currentFaults().TrickleRegions, rec.Region) {
		tw := &trickleWriter{statusWriter: sw, s: s, r: r}
		s.dispatch(tw, r, body, via)
		tw.finish()
		return
	}
	s.dispatch(sw, r, body, via)
}

// call is one authenticated request on its way to a route handler.
type call struct {
	r         *http.Request
	vars      map[string]string
	body      []byte
	key       accessKey
	kind      string // CCE routes: cce or autopilot
	projectID string // from the path or X-Project-Id
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, body []byte, via string) {
	rt, vars := matchRoute(s.routes, r.Method, r.URL.Path)
	if rt == nil {
		writeGatewayError(w, http.StatusNotFound, codeNoAPI, msgNoAPI)
		return
	}
	if via != "" {
		if status, code, msg := s.hostRefusal(via, rt, r); status != 0 {
			writeGatewayError(w, status, code, msg)
			return
		}
	}
	if rt.unsigned {
		rt.handle(w, &call{r: r, vars: vars, body: body})
		return
	}
	key, err := s.authenticate(r, body)
	if err != nil {
		code, msg := refusal(err)
		writeGatewayError(w, http.StatusUnauthorized, code, msg)
		return
	}
	c := &call{r: r, vars: vars, body: body, key: key, kind: rt.kind}
	if msg := s.authorize(c, rt.svc); msg != "" {
		writeGatewayError(w, http.StatusForbidden, codeForbidden, "The IAM user is not authorized to access the API: "+msg)
		return
	}
	rt.handle(w, c)
}

// authorize checks the key against the request's project and domain and
// sets c.projectID; it returns why access is refused, or "".
func (s *Server) authorize(c *call, svc service) string {
	pathProject := c.vars["project_id"]
	header := c.r.Header.Get("X-Project-Id")
	if pathProject != "" && header != "" && header != pathProject {
		return "X-Project-Id does not match the project in the URL"
	}
	c.projectID = pathProject
	if c.projectID == "" {
		c.projectID = header
	}
	if c.projectID != "" {
		if _, ok := s.idx.projects[c.projectID]; !ok {
			return "project " + c.projectID + " does not exist in this account"
		}
		if !c.key.allows(c.projectID) {
			return "the access key has no permission on project " + c.projectID
		}
	}
	if svc == svcUCS && c.r.Header.Get("X-Domain-Id") != s.DomainID {
		return "UCS needs global credentials whose X-Domain-Id is the account's domain"
	}
	return ""
}

// requestProject is the project of a request: from the URL of CCE and VPC
// routes, else from X-Project-Id.
func requestProject(r *http.Request) string {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(seg) >= 4 && (seg[0] == "api" || seg[0] == "autopilot") && seg[1] == "v3" && seg[2] == "projects":
		return seg[3]
	case len(seg) >= 3 && seg[0] == "v1" && (seg[2] == "vpcs" || seg[2] == "subnets"):
		return seg[1]
	}
	return r.Header.Get("X-Project-Id")
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int

	// due, when set, is the earliest the answer may leave: under a network
	// model the request's Latency is the network's, so the request is
	// served when it arrives and only its answer waits (holdUntil).
	due  time.Time
	hold func(time.Duration) bool
}

// holdUntil keeps the answer back until due; sleep waits, reporting
// whether the whole wait elapsed.
func (w *statusWriter) holdUntil(due time.Time, sleep func(time.Duration) bool) {
	w.due, w.hold = due, sleep
}

// release waits out the hold, once; a client gone or a server closing
// meanwhile aborts the handler, as a wait before serving did.
func (w *statusWriter) release() {
	if w.due.IsZero() {
		return
	}
	wait := time.Until(w.due)
	w.due = time.Time{}
	if wait > 0 && !w.hold(wait) {
		panic(http.ErrAbortHandler)
	}
}

func (w *statusWriter) WriteHeader(code int) {
	w.release()
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.release()
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (reset faults).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// trickleInterval is how often a trickling answer sends one more byte.
const trickleInterval = 50 * time.Millisecond

// trickleWriter plays Faults.TrickleRegions: the status and headers go out
// at once, the body one byte per trickleInterval, for as long as the
// client waits.
type trickleWriter struct {
	*statusWriter
	s    *Server
	r    *http.Request
	body []byte
}

// Write holds the body back; finish sends it.
func (w *trickleWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.body = append(w.body, b...)
	return len(b), nil
}

// finish sends the headers, then the body byte by byte until the client
// or the server gives up.
func (w *trickleWriter) finish() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	rc := http.NewResponseController(w.statusWriter)
	_ = rc.Flush()
	for _, b := range w.body {
		if !w.s.sleep(w.r.Context(), trickleInterval) {
			return
		}
		if _, err := w.statusWriter.Write([]byte{b}); err != nil {
			return
		}
		_ = rc.Flush()
	}
}

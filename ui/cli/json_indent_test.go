package cli

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// writeJSON prints exactly what a json.Encoder with SetIndent("", "  ")
// prints, for values of every JSON shape: nested and empty objects and
// arrays, and strings holding quotes, backslashes, brackets, colons,
// commas, HTML, control and non-ASCII characters.
func TestWriteJSONIsTheIndentingEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	for i := range 3000 {
		v := randomJSONValue(r, 0)
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("value %d: writeJSON printed\n%s\nthe encoder\n%s", i, got.String(), want.String())
		}
	}
}

func randomJSONValue(r *rand.Rand, depth int) any {
	k := r.IntN(8)
	if depth > 4 {
		k = r.IntN(4)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.IntN(3) == 0
	case 2:
		return r.NormFloat64() * 1e6
	case 3:
		return randomJSONString(r)
	case 4, 5:
		m := map[string]any{}
		for range r.IntN(4) {
			m[randomJSONString(r)] = randomJSONValue(r, depth+1)
		}
		return m
	default:
		s := make([]any, r.IntN(4))
		for i := range s {
			s[i] = randomJSONValue(r, depth+1)
		}
		return s
	}
}

func randomJSONString(r *rand.Rand) string {
	parts := []string{"a", "\"", "\\", "{", "}", "[", "]", ":", ",", " ", "<b>&", "\n", "\t", "\x01", "é", "集群", "\u2028", `\"`, `\\"`}
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

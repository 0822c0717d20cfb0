package api

import (
	"fmt"
	"strings"
)

// fmtAll formats v with every common verb, concatenated.
func fmtAll(v any) string {
	return fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", v, v, v, v, v, v)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

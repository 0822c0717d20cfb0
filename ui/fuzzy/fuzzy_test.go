package fuzzy

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, text string
		ok            bool
	}{
		{"", "anything", true},
		{"pw", "prod-web", true},
		{"PROD", "prod-web", true},
		{"prod eu", "prod-eu-west", true},
		{"wp", "prod-web", false},
		{"集群", "测试集群一", true},
		{"xyz", "prod", false},
	}
	for _, tt := range tests {
		if _, ok := Compile(tt.pattern).Match(tt.text); ok != tt.ok {
			t.Errorf("%q ~ %q = %v, want %v", tt.pattern, tt.text, ok, tt.ok)
		}
	}
}

func TestScoreOrder(t *testing.T) {
	p := Compile("web")
	a, _ := p.Match("prod-web")
	b, _ := p.Match("prod-wxexb")
	if a <= b {
		t.Fatalf("a consecutive word-start match should score higher: %d <= %d", a, b)
	}
}

package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOnScreenRestoresTheTerminalOnPanic: a panic in the model's Update or
// View puts the terminal back before Bubble Tea prints it, and a normal
// call does not.
func TestOnScreenRestoresTheTerminalOnPanic(t *testing.T) {
	restored := 0
	s := &onScreen{restore: func() { restored++ }}
	s.guard(func() {})
	if restored != 0 {
		t.Fatalf("restored %d times after a normal call", restored)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("the panic did not go on to Bubble Tea: recovered %v", r)
			}
		}()
		s.guard(func() { panic("boom") })
	}()
	if restored != 1 {
		t.Fatalf("restored %d times after a panic, want 1", restored)
	}
}

// rendererOnly are the Bubble Tea names that work through its renderer,
// which Run turns off (tea.WithoutRenderer, see Run), and what each does
// without it.
var rendererOnly = map[string]string{
	"Println":     "prints nothing",
	"Printf":      "prints nothing",
	"Exec":        "runs the child on the raw alternate screen and never repaints",
	"ExecProcess": "runs the child on the raw alternate screen and never repaints",
	"Suspend":     "stops the process with the terminal raw and on the alternate screen, and never repaints",
	"WindowSize":  "sends no size (watchSize does)",

	"ClearScreen": "does nothing", "ClearScrollArea": "does nothing", "SyncScrollArea": "does nothing",
	"ScrollUp": "does nothing", "ScrollDown": "does nothing",
	"EnterAltScreen": "does nothing", "ExitAltScreen": "does nothing", "WithAltScreen": "does nothing",
	"HideCursor": "does nothing", "ShowCursor": "does nothing", "SetWindowTitle": "does nothing",
	"EnableMouseCellMotion": "does nothing", "EnableMouseAllMotion": "does nothing", "DisableMouse": "does nothing",
	"WithMouseCellMotion": "does nothing", "WithMouseAllMotion": "does nothing",
	"EnableBracketedPaste": "does nothing", "DisableBracketedPaste": "does nothing", "WithoutBracketedPaste": "does nothing",
	"EnableReportFocus": "does nothing", "DisableReportFocus": "does nothing", "WithReportFocus": "does nothing",
	"WithFPS": "does nothing", "WithANSICompressor": "does nothing",
}

// The model, and the components whose commands it passes on, name none of
// rendererOnly: under Run each would fail without a word.
func TestModelIssuesNoRendererCommand(t *testing.T) {
	components, err := filepath.Glob(filepath.Join("components", "*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	own, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0 // names of Bubble Tea read: the scan is not empty
	for _, path := range append(own, components...) {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		tea := bubbleTeaName(t, f, path)
		if tea == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == tea {
				seen++
				if why, bad := rendererOnly[sel.Sel.Name]; bad {
					t.Errorf("%s: tea.%s: under ui.Run, which draws without Bubble Tea's renderer, it %s; "+
						"show it in the Model's own frame or status line instead", fset.Position(sel.Pos()), sel.Sel.Name, why)
				}
			}
			return true
		})
	}
	if seen == 0 {
		t.Fatal("no use of Bubble Tea found: the scan reads the wrong files")
	}
}

// bubbleTeaName is the name f imports Bubble Tea under, or "" if it does
// not import it.
func bubbleTeaName(t *testing.T, f *ast.File, path string) string {
	t.Helper()
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p != "github.com/charmbracelet/bubbletea" {
			continue
		}
		switch {
		case imp.Name == nil:
			return "tea"
		case imp.Name.Name == ".":
			t.Errorf("%s imports Bubble Tea with a dot: name it, so its renderer's commands can be seen", path)
		case imp.Name.Name != "_":
			return imp.Name.Name
		}
	}
	return ""
}

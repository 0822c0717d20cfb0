package store

import (
	"bytes"
	"encoding/json"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/versioning"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	clientcmdlatest "k8s.io/client-go/tools/clientcmd/api/latest"
)

// kubeJSONCodec is clientcmd's codec (clientcmdlatest.Codec: the same
// scheme, versions, conversion and defaulting) with its JSON serializer
// instead of the YAML one. The YAML serializer is the JSON one after
// sigs.k8s.io/yaml's YAML↔JSON conversion, which goes through go-yaml v2
// and is most of clientcmd's time on a large file; ccecert does that
// conversion itself (scanYAML, emitYAML), exactly where it can.
var kubeJSONCodec = jsonCodec(kjson.DefaultMetaFactory)

func jsonCodec(meta kjson.MetaFactory) runtime.Codec {
	s := kjson.NewSerializerWithOptions(meta, clientcmdlatest.Scheme, clientcmdlatest.Scheme, kjson.SerializerOptions{})
	return versioning.NewDefaultingCodecForScheme(clientcmdlatest.Scheme, s, s,
		schema.GroupVersion{Version: clientcmdlatest.Version}, runtime.InternalGroupVersioner)
}

// decodeKubeconfigJSON is clientcmd.Load for js, the JSON of the tree doc.
// The serializer's first pass over js (its MetaFactory, reading apiVersion
// and kind) is answered from doc when that gives the same answer.
func decodeKubeconfigJSON(doc map[string]any, js []byte) (*clientcmdapi.Config, error) {
	codec := kubeJSONCodec
	if gvk, ok := treeKind(doc); ok {
		codec = jsonCodec(knownKind{gvk})
	}
	cfg := clientcmdapi.NewConfig()
	decoded, _, err := codec.Decode(js, &schema.GroupVersionKind{Version: clientcmdlatest.Version, Kind: "Config"}, cfg)
	if err != nil {
		return nil, err
	}
	return decoded.(*clientcmdapi.Config), nil
}

// treeKind is what kjson.SimpleMetaFactory.Interpret finds in the JSON of
// doc: apiVersion and kind as encoding/json reads them into a struct.
// False when that depends on more than the exact keys (a key that differs
// only in case, which encoding/json also matches, or a value that is not
// a string): then the serializer reads js itself.
func treeKind(doc map[string]any) (schema.GroupVersionKind, bool) {
	var fields [2]string
	for k, v := range doc {
		i := -1
		switch {
		case k == "apiVersion":
			i = 0
		case k == "kind":
			i = 1
		case strings.EqualFold(k, "apiVersion") || strings.EqualFold(k, "kind"):
			return schema.GroupVersionKind{}, false
		}
		if i < 0 || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return schema.GroupVersionKind{}, false
		}
		fields[i] = s
	}
	gv, err := schema.ParseGroupVersion(fields[0])
	if err != nil {
		return schema.GroupVersionKind{}, false
	}
	return gv.WithKind(fields[1]), true
}

// knownKind is a MetaFactory that knows the answer.
type knownKind struct{ gvk schema.GroupVersionKind }

func (k knownKind) Interpret([]byte) (*schema.GroupVersionKind, error) {
	gvk := k.gvk
	return &gvk, nil
}

// encodeKubeconfig is clientcmd.Write: the same bytes, through emitYAML
// when it can write them, else through clientcmd.Write itself.
func encodeKubeconfig(cfg *clientcmdapi.Config) ([]byte, error) {
	c := *cfg // as clientcmd.Write, which takes the Config by value
	if js, err := runtime.Encode(kubeJSONCodec, &c); err == nil {
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber() // a number is left to clientcmd.Write
		var doc map[string]any
		if dec.Decode(&doc) == nil {
			if out, ok := emitYAML(doc); ok {
				return out, nil
			}
		}
	}
	return clientcmd.Write(*cfg)
}

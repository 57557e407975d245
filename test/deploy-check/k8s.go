package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Only the API groups the manifests use are registered (not client-go's whole scheme): a kind
// from any other group is an error, as is a field the Go type does not have.
func newScheme() (*runtime.Scheme, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme,
		appsv1.AddToScheme,
		policyv1.AddToScheme,
		networkingv1.AddToScheme,
		autoscalingv2.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return nil, err
		}
	}
	return scheme, nil
}

// withComponents turns "overlay+component+..." into a kustomization of the overlay with those
// optional components added (written to a temporary directory, paths relative as kustomize
// requires), so a component kept out of every overlay is rendered and checked too.
func withComponents(arg string) (string, func(), error) {
	parts := strings.Split(arg, "+")
	if len(parts) == 1 {
		return arg, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "deploy-check-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(tmp) }
	rel := func(p string) (string, error) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		return filepath.Rel(tmp, abs)
	}
	overlay, err := rel(parts[0])
	if err != nil {
		cleanup()
		return "", nil, err
	}
	k := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " + overlay + "\ncomponents:\n"
	for _, c := range parts[1:] {
		component, err := rel(c)
		if err != nil {
			cleanup()
			return "", nil, err
		}
		k += "  - " + component + "\n"
	}
	if err := os.WriteFile(filepath.Join(tmp, "kustomization.yaml"), []byte(k), 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	return tmp, cleanup, nil
}

// checkKustomizations renders each kustomization with kustomize's own Go API (what
// `kubectl apply -k` runs) and decodes every object it yields strictly.
func checkKustomizations(dirs []string) error {
	scheme, err := newScheme()
	if err != nil {
		return err
	}
	// Strict: unknown and duplicate fields are errors, not silently dropped.
	decoder := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme,
		json.SerializerOptions{Yaml: true, Strict: true})
	kustomizer := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	fs := filesys.MakeFsOnDisk()
	var problems []string
	for _, arg := range dirs {
		dir, cleanup, err := withComponents(arg)
		if err != nil {
			return err
		}
		resources, err := kustomizer.Run(fs, dir)
		cleanup()
		dir = arg
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: kustomize: %v", dir, err))
			continue
		}
		kinds := map[string]int{}
		for _, res := range resources.Resources() {
			name := fmt.Sprintf("%s %s/%s", res.GetKind(), res.GetNamespace(), res.GetName())
			data, err := res.AsYAML()
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s: %v", dir, name, err))
				continue
			}
			gvk := schema.FromAPIVersionAndKind(res.GetApiVersion(), res.GetKind())
			if check, ok := customResources[gvk]; ok {
				err = check(data)
			} else {
				_, _, err = decoder.Decode(data, nil, nil)
			}
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s: %v", dir, name, err))
				continue
			}
			kinds[res.GetKind()]++
		}
		fmt.Printf("%s: %d objects %v\n", dir, resources.Size(), kinds)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d invalid:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

package main

import (
	"bytes"
	encjson "encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// Custom resources of operators the cluster may run, checked against a mirror of their schema:
// KEDA's Go module pulls in controller-runtime and far more than this check needs, so the fields
// of keda.sh/v1alpha1 ScaledObject (KEDA 2.x, keda.sh/docs/2.17/reference/scaledobject-spec)
// are mirrored here and decoded with unknown fields refused, like the built-in kinds.
var customResources = map[schema.GroupVersionKind]func([]byte) error{
	{Group: "keda.sh", Version: "v1alpha1", Kind: "ScaledObject"}: checkScaledObject,
}

type scaledObject struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		ScaleTargetRef struct {
			APIVersion             string `json:"apiVersion,omitempty"`
			Kind                   string `json:"kind,omitempty"`
			Name                   string `json:"name"`
			EnvSourceContainerName string `json:"envSourceContainerName,omitempty"`
		} `json:"scaleTargetRef"`
		PollingInterval       *int32             `json:"pollingInterval,omitempty"`
		InitialCooldownPeriod *int32             `json:"initialCooldownPeriod,omitempty"`
		CooldownPeriod        *int32             `json:"cooldownPeriod,omitempty"`
		IdleReplicaCount      *int32             `json:"idleReplicaCount,omitempty"`
		MinReplicaCount       *int32             `json:"minReplicaCount,omitempty"`
		MaxReplicaCount       *int32             `json:"maxReplicaCount,omitempty"`
		Advanced              encjson.RawMessage `json:"advanced,omitempty"`
		Fallback              *struct {
			FailureThreshold int32  `json:"failureThreshold"`
			Replicas         int32  `json:"replicas"`
			Behavior         string `json:"behavior,omitempty"`
		} `json:"fallback,omitempty"`
		Triggers []struct {
			Type              string            `json:"type"`
			Name              string            `json:"name,omitempty"`
			UseCachedMetrics  bool              `json:"useCachedMetrics,omitempty"`
			MetricType        string            `json:"metricType,omitempty"`
			Metadata          map[string]string `json:"metadata"`
			AuthenticationRef *struct {
				Name string `json:"name"`
				Kind string `json:"kind,omitempty"`
			} `json:"authenticationRef,omitempty"`
		} `json:"triggers"`
	} `json:"spec"`
}

func checkScaledObject(data []byte) error {
	raw, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	dec := encjson.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var so scaledObject
	if err := dec.Decode(&so); err != nil {
		return fmt.Errorf("strict decoding error: %w", err)
	}
	if so.Spec.ScaleTargetRef.Name == "" || len(so.Spec.Triggers) == 0 {
		return fmt.Errorf("a ScaledObject needs spec.scaleTargetRef.name and at least one trigger")
	}
	return nil
}

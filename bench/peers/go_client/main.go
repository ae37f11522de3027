// The Go peer of the performance benchmark: client_golang on the same series, timing one
// Gather + text encoding of the whole registry. Built offline in GOPATH mode from Debian's
// golang-github-prometheus-client-golang-dev. Prints {"medianMs": …, "bytes": …}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

func main() {
	instances, _ := strconv.Atoi(os.Args[1])
	perInstance, _ := strconv.Atoi(os.Args[2])
	histograms, _ := strconv.Atoi(os.Args[3])
	runs, _ := strconv.Atoi(os.Args[4])
	registry := prometheus.NewRegistry()
	value := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "bench_value", Help: "A value."}, []string{"collector", "a", "b", "c"})
	registry.MustRegister(value)
	for n := 0; n < instances; n++ {
		for i := 0; i < perInstance; i++ {
			value.WithLabelValues(fmt.Sprintf("i%d", n), fmt.Sprintf("a%d", i%10), fmt.Sprintf("b%d", i%100), fmt.Sprintf("c%d", i)).Set(float64(i))
		}
	}
	if histograms > 0 {
		latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bench_latency_seconds", Help: "A latency."}, []string{"route"})
		registry.MustRegister(latency)
		for i := 0; i < histograms; i++ {
			latency.WithLabelValues(fmt.Sprintf("/r%d", i)).Observe(float64(i%100) / 100)
		}
	}
	times := make([]float64, 0, runs)
	size := 0
	for r := 0; r < runs; r++ {
		start := time.Now()
		families, err := registry.Gather()
		if err != nil {
			panic(err)
		}
		var out bytes.Buffer
		encoder := expfmt.NewEncoder(&out, expfmt.FmtText)
		for _, family := range families {
			if err := encoder.Encode(family); err != nil {
				panic(err)
			}
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		size = out.Len()
	}
	sort.Float64s(times)
	result, _ := json.Marshal(map[string]interface{}{"medianMs": times[len(times)/2], "bytes": size})
	fmt.Println(string(result))
}

package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func (s *server) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := s.Client().Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestExportEndpoint(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		query, contentType, contains string
	}{
		{"format=graphml", "application/graphml+xml", `<node id="locality:fukuoka">`},
		{"format=gexf&scope=neighborhood&id=locality:fukuoka&depth=2", "application/gexf+xml", `label="Hà Nội"`},
		{"format=cytoscape&scope=paths&from=locality:fukuoka&to=locality:ha-noi", "application/json", `"interaction": "PARTY_TO"`},
		{"format=nodes.csv&scope=list&kinds=LOCALITY&country=JP", "text/csv", "locality:kitakyushu,Kitakyushu,LOCALITY"},
		{"format=edges.csv&scope=neighborhood&id=locality:vinh-phuc&asOf=2025-07-01", "text/csv", "MERGED_INTO"},
		{"format=csv", "application/zip", "nodes.csv"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res, body := s.get(t, "/export?"+tc.query)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.contentType) {
				t.Fatalf("status %d, content type %q: %.300s", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("Content-Disposition = %q", res.Header.Get("Content-Disposition"))
			}
			if !bytes.Contains(body, []byte(tc.contains)) {
				t.Errorf("the export lacks %q", tc.contains)
			}
		})
	}
	t.Run("AsOfLeavesOutTheOldRelationship", func(t *testing.T) {
		_, body := s.get(t, "/export?format=edges.csv&scope=neighborhood&id=locality:vinh-phuc&asOf=2025-07-01")
		if bytes.Contains(body, []byte("rel:PART_OF:locality:vinh-phuc->locality:vietnam")) {
			t.Error("as of July 2025 the export still holds Vĩnh Phúc's PART_OF Việt Nam")
		}
	})
	t.Run("SourceTypes", func(t *testing.T) {
		// According to the articles only: the export holds what the API
		// lists under sourceTypes: [ARTICLE], and no edge leaves the file.
		var got struct {
			All, Articles struct{ TotalCount int }
			Neighborhood  struct{ Nodes []struct{ ID string } }
		}
		s.query(t, `{ all: entities { totalCount } articles: entities(filter: {sourceTypes: [ARTICLE]}) { totalCount }
			neighborhood(id: "locality:ha-noi", depth: 2, sourceTypes: [ARTICLE]) { nodes { id } } }`, nil, &got)
		rows := func(query string) [][]string {
			res, body := s.get(t, "/export?"+query)
			if res.StatusCode != 200 {
				t.Fatalf("%s: status %d: %.300s", query, res.StatusCode, body)
			}
			records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || len(records) == 0 {
				t.Fatalf("%s: %v", query, err)
			}
			return records
		}
		nodes := rows("format=nodes.csv&sourceTypes=ARTICLE")[1:]
		if len(nodes) != got.Articles.TotalCount || len(nodes) >= got.All.TotalCount {
			t.Errorf("%d entities exported by the articles; the API counts %d by the articles, %d in all", len(nodes), got.Articles.TotalCount, got.All.TotalCount)
		}
		in := map[string]bool{}
		for _, n := range nodes {
			in[n[0]] = true
		}
		edges := rows("format=edges.csv&sourceTypes=ARTICLE")
		from, to := slices.Index(edges[0], "Source"), slices.Index(edges[0], "Target")
		if from < 0 || to < 0 || len(edges) < 2 {
			t.Fatalf("edges.csv: header %v, %d rows", edges[0], len(edges)-1)
		}
		for _, e := range edges[1:] {
			if !in[e[from]] || !in[e[to]] {
				t.Errorf("edge %s leaves the exported entities", e[0])
			}
		}
		if n := rows("format=nodes.csv&scope=neighborhood&id=locality:ha-noi&depth=2&sourceTypes=ARTICLE")[1:]; len(n) != len(got.Neighborhood.Nodes) {
			t.Errorf("Hà Nội's neighbourhood by the articles: %d entities exported, %d from the API", len(n), len(got.Neighborhood.Nodes))
		}
	})
	for _, tc := range []struct{ query, code, msg string }{
		{"sourceTypes=BLOG", "BAD_USER_INPUT", "BLOG"},
		{"format=pdf", "BAD_USER_INPUT", "format"},
		{"scope=neighborhood", "BAD_USER_INPUT", "needs id"},
		{"scope=neighborhood&id=locality:atlantis", "NOT_FOUND", "locality:atlantis"},
		{"scope=neighborhood&id=locality:ha-noi&depth=7", "BAD_USER_INPUT", "depth"},
		{"kinds=PLANET", "BAD_USER_INPUT", "PLANET"},
		{"asOf=yesterday", "BAD_USER_INPUT", "asOf"},
		{"colour=red", "BAD_USER_INPUT", "unknown parameter"},
	} {
		t.Run("Err "+tc.query, func(t *testing.T) {
			res, body := s.get(t, "/export?"+tc.query)
			var r response
			json.Unmarshal(body, &r)
			if res.StatusCode < 400 || r.code() != tc.code || !strings.Contains(r.Errors[0].Message, tc.msg) {
				t.Errorf("status %d, body %s", res.StatusCode, body)
			}
		})
	}
}

// upload posts files to /import as multipart/form-data.
func (s *server) upload(t *testing.T, key string, files map[string]string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write([]byte(data))
	}
	mw.Close()
	res, raw := s.send(t, http.MethodPost, "/import", key, mw.FormDataContentType(), &body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	return res.StatusCode, out
}

// importJob uploads files and follows the import job to its end: it returns
// the upload's status and, when a job started, the job's last report.
func (s *server) importJob(t *testing.T, key string, files map[string]string) (int, map[string]any) {
	t.Helper()
	status, out := s.upload(t, key, files)
	if status != http.StatusAccepted {
		return status, out
	}
	deadline := time.Now().Add(30 * time.Second)
	for out["state"] == "checking" || out["state"] == "importing" {
		if time.Now().After(deadline) {
			t.Fatalf("the import job did not finish within 30s: %v", out)
		}
		time.Sleep(10 * time.Millisecond)
		out = s.jobReport(t, key, out["id"].(string))
	}
	return status, out
}

func (s *server) jobReport(t *testing.T, key, id string) map[string]any {
	t.Helper()
	res, raw := s.send(t, http.MethodGet, "/import/"+id, key, "", nil)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	out["status"] = float64(res.StatusCode)
	return out
}

func TestImportEndpoint(t *testing.T) {
	s := newServer(t)
	files := map[string]string{
		// Karatsu is not in the seed; Saga, the prefecture it links to, is.
		"nodes.csv": "Id,Label,kind,type,country,source,quote\nlocality:karatsu,Karatsu,locality,city,JP,source:iso-3166-2-jp,JP-41 Saga\n",
		"edges.csv": "Source,Target,relation,citations\nlocality:karatsu,locality:saga,PART_OF,\"[{\"\"source\"\":\"\"source:iso-3166-2-jp\"\",\"\"quote\"\":\"\"JP-41 Saga\"\"}]\"\n",
	}
	if status, out := s.upload(t, "", files); status != 401 {
		t.Errorf("import without a key: %d %v", status, out)
	}
	status, out := s.importJob(t, testKey, files)
	if status != 202 || out["state"] != "done" || out["entities"].(map[string]any)["Created"] != 1.0 || out["relationships"].(map[string]any)["Created"] != 1.0 {
		t.Fatalf("import: %d %v", status, out)
	}
	if !strings.Contains(out["summary"].(string), "1 entities (1 new") {
		t.Errorf("summary: %v", out["summary"])
	}
	var got struct {
		Locality struct {
			PartOf struct{ Nodes []struct{ ID string } }
		}
	}
	s.query(t, `{ locality(id: "locality:karatsu") { partOf { nodes { id } } } }`, nil, &got)
	if len(got.Locality.PartOf.Nodes) != 1 || got.Locality.PartOf.Nodes[0].ID != "locality:saga" {
		t.Errorf("Karatsu after the import: %+v", got)
	}
	status, out = s.importJob(t, testKey, files)
	if status != 202 || out["batches"] != 0.0 || out["entities"].(map[string]any)["Unchanged"] != 1.0 {
		t.Errorf("a second import of the same files: %d %v", status, out)
	}
	if r := s.jobReport(t, "", out["id"].(string)); r["status"] != 401.0 {
		t.Errorf("a job's report without a key: %v", r)
	}
	if r := s.jobReport(t, testKey, "0123456789abcdef"); r["status"] != 404.0 {
		t.Errorf("an unknown job: %v", r)
	}

	bad := map[string]string{"nodes.csv": "Id,Label,kind,type,source,quote\nlocality:x,X,locality,planet,source:iso-3166-2-jp,q\nevent:y,,event,forum,source:nowhere,q\n"}
	status, out = s.importJob(t, testKey, bad)
	errs, _ := out["errors"].([]any)
	if status != 202 || out["state"] != "invalid" || len(errs) < 3 {
		t.Fatalf("invalid import: %d %v", status, out)
	}
	first := errs[0].(map[string]any)["extensions"].(map[string]any)
	if first["code"] != "BAD_USER_INPUT" || first["file"] != "nodes.csv" || first["line"] != 2.0 {
		t.Errorf("first problem: %v", first)
	}
	var count struct{ Entities struct{ TotalCount int } }
	s.query(t, `{ entities(filter: {name: "X"}) { totalCount } }`, nil, &count)
	var x struct{ Entity *struct{ ID string } }
	s.query(t, `{ entity(id: "locality:x") { id } }`, nil, &x)
	if x.Entity != nil {
		t.Error("an invalid import wrote locality:x")
	}
}

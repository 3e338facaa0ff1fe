// A released report's outputs, each built from the View alone. The View holds no hidden figure (a hidden cell is
// nullopt), so no output can leak one: every hidden cell, bar and text alternative shows the mark instead.
// CSV and SVG are text written here; XLSX goes through libxlsxwriter, which can only write a file (1.1.4 has no
// memory output), hence a private temporary directory; PDF goes through Cairo with Pango laying out the text, so
// Cyrillic, Arabic or any other script shapes as it should.
#include "modules/reports/render.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>
#include <system_error>

#include "text/csv.hpp"

namespace haven::reports {
namespace {

// What a cell shows: its figure, or the hidden mark. A cell missing from a short row counts as hidden: an output
// never invents a figure.
std::string cell_text(const View& view, const View::Row& row, size_t column) {
    if (column >= row.cells.size() || !row.cells[column]) return view.hidden_mark;
    return std::to_string(*row.cells[column]);
}

// UTF-8 code points, to estimate a text's width where no font metrics are at hand (SVG, XLSX column widths).
size_t code_points(std::string_view text) {
    return size_t(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// ---- What a chart draws ----------------------------------------------------------------------------------------

struct Bar {
    std::string label;
    std::optional<int64_t> value;  // nullopt: hidden
};

// The group's total over sites; a group of one site has only its own row. Should the total flag be missing, the
// last row is the total by the View's order.
const View::Row* charted_row(const View::Group& group) {
    for (const View::Row& row : group.rows)
        if (row.total) return &row;
    return group.rows.empty() ? nullptr : &group.rows.back();
}

// One bar per column; the last column ("Total") is drawn only in the text alternative, as a bar it would dwarf
// the months. A report of one period draws its sites instead.
std::vector<Bar> bars(const View& view, const View::Group& group, bool with_total_column) {
    if (view.columns.size() == 1 && group.rows.size() > 1) {
        // One period, several sites: the bars are the sites (the total over them in the text only), so that a
        // report of one quarter still compares something.
        std::vector<Bar> out;
        for (const View::Row& r : group.rows)
            if (!r.total || with_total_column) out.push_back({r.place.empty() ? r.label : r.place, r.cells.empty() ? std::nullopt : r.cells.front()});
        return out;
    }
    const View::Row* row = charted_row(group);
    size_t count = view.columns.size();
    if (!with_total_column && count > 1) --count;
    std::vector<Bar> out;
    for (size_t c = 0; c < count; ++c) {
        std::optional<int64_t> value;
        if (row && c < row->cells.size()) value = row->cells[c];
        out.push_back({view.columns[c], value});
    }
    return out;
}

int64_t highest(const std::vector<Bar>& bars) {
    int64_t top = 0;
    for (const Bar& bar : bars)
        if (bar.value) top = std::max(top, *bar.value);
    return top;
}

// ---- SVG -------------------------------------------------------------------------------------------------------

namespace svg {
// Sizes in viewBox units. At a phone's 390 px (about 360 px of content) a 560-unit chart scales by 0.64, so 16-unit
// text shows at about 10 px; more columns widen the viewBox rather than crowd the bars.
constexpr double kMinWidth = 560;
constexpr double kPlotHeight = 180;
constexpr double kMinSlot = 44;  // per bar: room for a four-digit value label
constexpr double kFont = 16;
constexpr double kMargin = 16;
constexpr double kHiddenShare = 0.3;   // a hidden bar's height, as a share of the plot's: neutral, not a value
constexpr double kGlyphWidth = 0.6;    // an average glyph's advance in ems, to estimate label widths
constexpr size_t kMaxLabelChars = 24;  // a longer column label overflows rather than grow the margins
constexpr const char* kInk = "#000";   // black and dark grey on white: the chart prints as it shows
constexpr const char* kBarInk = "#404040";
}  // namespace svg

// Text and attribute values alike. XML 1.0 allows no control character but tab and line ends: those are dropped,
// so the SVG stays well-formed whatever a label holds.
std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
                out += c;
        }
    }
    return out;
}

// Coordinates with one decimal, whatever the process's locale (to_chars ignores it; printf would not).
std::string num(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
    return std::string(buffer, result.ptr);
}

// "Jan 2027: 14; Feb 2027: hidden (<10); …; Total: 40": every value, the total column included.
std::string chart_description(const View& view, const View::Group& group) {
    std::string out;
    for (const Bar& bar : bars(view, group, true)) {
        if (!out.empty()) out += "; ";
        out += bar.label + ": " + (bar.value ? std::to_string(*bar.value) : view.chart_hidden + " (" + view.hidden_mark + ")");
    }
    return out;
}

std::string svg_text(double x, double y, std::string_view anchor, std::string_view text, std::string_view extra = {}) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) + "\"" + std::string(extra) + ">" +
           xml_escape(text) + "</text>\n";
}

// The chart's geometry, from the number of bars and the longest column label.
struct ChartFrame {
    double slot = 0, left = 0, top = 0, width = 0, height = 0, base = 0;
    bool rotate = false;  // column labels turned 45° when they would not fit under their bar
    double label_reach = 0;
};

ChartFrame frame_for(const std::vector<Bar>& bars) {
    using namespace svg;
    ChartFrame f;
    const double count = double(std::max<size_t>(bars.size(), 1));
    const double plot_width = std::max(kMinWidth - 2 * kMargin, count * kMinSlot);
    f.slot = plot_width / count;
    size_t longest = 0;
    for (const Bar& bar : bars) longest = std::max(longest, std::min(code_points(bar.label), kMaxLabelChars));
    const double label_width = double(longest) * kGlyphWidth * kFont;
    f.rotate = label_width > f.slot - 6;
    // Turned 45°, a label reaches as far left of its bar as it reaches down.
    f.label_reach = f.rotate ? label_width * 0.7072 : 0;
    f.left = std::max(kMargin, f.label_reach - f.slot / 2 + 4);
    f.top = kFont + 14;
    f.base = f.top + kPlotHeight;
    f.width = f.left + plot_width + kMargin;
    f.height = f.base + (f.rotate ? f.label_reach + kFont : kFont) + 14;
    return f;
}

std::string svg_bar(const View& view, const ChartFrame& f, const Bar& bar, double x, int64_t top) {
    using namespace svg;
    const double width = std::min(f.slot * 0.6, 64.0);
    const double left = x + (f.slot - width) / 2, centre = x + f.slot / 2;
    std::string out;
    double height = 0;
    if (bar.value) {
        height = top > 0 ? kPlotHeight * double(*bar.value) / double(top) : 0;
        out += "<rect x=\"" + num(left) + "\" y=\"" + num(f.base - height) + "\" width=\"" + num(width) + "\" height=\"" + num(height) +
               "\" fill=\"" + kBarInk + "\"/>\n";
    } else {
        height = kPlotHeight * kHiddenShare;
        out += "<rect x=\"" + num(left) + "\" y=\"" + num(f.base - height) + "\" width=\"" + num(width) + "\" height=\"" + num(height) +
               "\" fill=\"none\" stroke=\"" + kBarInk + "\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n";
    }
    out += svg_text(centre, f.base - height - 6, "middle", bar.value ? std::to_string(*bar.value) : view.hidden_mark);
    const double label_y = f.base + kFont + 4;
    if (f.rotate)
        out += svg_text(centre, label_y, "end", bar.label, " transform=\"rotate(-45 " + num(centre) + " " + num(label_y) + ")\"");
    else
        out += svg_text(centre, label_y, "middle", bar.label);
    return out;
}

// A series over time (six periods or more) reads better as a line: a point per visible figure, joined to the next
// visible one; a hidden figure breaks the line and shows only its mark, on the axis (no height that could be read
// as a value).
std::string svg_line(const View& view, const ChartFrame& f, const std::vector<Bar>& points, int64_t top) {
    using namespace svg;
    std::string out, path;
    bool joined = false;
    for (size_t i = 0; i < points.size(); ++i) {
        const double x = f.left + (double(i) + 0.5) * f.slot;
        const Bar& p = points[i];
        if (p.value) {
            const double y = f.base - (top > 0 ? kPlotHeight * double(*p.value) / double(top) : 0);
            path += (joined ? " L" : " M") + num(x) + " " + num(y);
            joined = true;
            out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"4\" fill=\"" + kBarInk + "\"/>\n";
            out += svg_text(x, y - 10, "middle", std::to_string(*p.value));
        } else {
            joined = false;
            out +=
                "<circle cx=\"" + num(x) + "\" cy=\"" + num(f.base) + "\" r=\"4\" fill=\"#fff\" stroke=\"" + kBarInk + "\" stroke-width=\"1.5\"/>\n";
            out += svg_text(x, f.base - 10, "middle", view.hidden_mark);
        }
        const double label_y = f.base + kFont + 4;
        if (f.rotate)
            out += svg_text(x, label_y, "end", p.label, " transform=\"rotate(-45 " + num(x) + " " + num(label_y) + ")\"");
        else
            out += svg_text(x, label_y, "middle", p.label);
    }
    if (!path.empty()) out = "<path d=\"" + path.substr(1) + "\" fill=\"none\" stroke=\"" + kBarInk + "\" stroke-width=\"2\"/>\n" + out;
    return out;
}

// Presentation attributes only, no style attribute or element: the pages' Content-Security-Policy (default-src
// 'self') would block inline styles. No height attribute either: with width="100%" the viewBox sets the ratio.
std::string chart_svg(const View& view, const View::Group& group, size_t index) {
    using namespace svg;
    const std::vector<Bar> drawn = bars(view, group, false);
    const ChartFrame f = frame_for(drawn);
    const std::string id = "report-chart-" + std::to_string(index);
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(f.width) + " " + num(f.height) +
                      "\" width=\"100%\" role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\" font-family=\"sans-serif\" font-size=\"" +
                      num(kFont) + "\" fill=\"" + kInk + "\">\n";
    out += "<title id=\"" + id + "-title\">" + xml_escape(group.indicator) + "</title>\n";
    out += "<desc id=\"" + id + "-desc\">" + xml_escape(chart_description(view, group)) + "</desc>\n";
    out += "<rect width=\"" + num(f.width) + "\" height=\"" + num(f.height) + "\" fill=\"#fff\"/>\n";
    const int64_t top = highest(drawn);
    const bool over_time = drawn.size() >= 6 && view.columns.size() > 1;
    if (over_time)
        out += svg_line(view, f, drawn, top);
    else
        for (size_t i = 0; i < drawn.size(); ++i) out += svg_bar(view, f, drawn[i], f.left + double(i) * f.slot, top);
    out += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(f.base) + "\" x2=\"" + num(f.left + double(drawn.size()) * f.slot) + "\" y2=\"" +
           num(f.base) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>\n";
    return out + "</svg>\n";
}

// ---- Temporary files -------------------------------------------------------------------------------------------

// A directory of our own under the system's temporary one (mkdtemp: mode 0700, a name no one can guess ahead),
// removed with everything in it however the rendering ends.
class ScratchDir {
public:
    ScratchDir() {
        std::error_code error;
        const std::filesystem::path base = std::filesystem::temp_directory_path(error);
        if (error) return;
        std::string pattern = (base / "haven-report-XXXXXX").string();
        if (mkdtemp(pattern.data())) path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    bool ok() const { return !path_.empty(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::optional<std::string> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return std::nullopt;
    return bytes;
}

// ---- XLSX ------------------------------------------------------------------------------------------------------

namespace xlsx {
// Excel's own limits: a sheet past them would not open.
constexpr size_t kMaxRows = 1048576;
constexpr size_t kMaxColumns = 16384;
constexpr lxw_row_t kHeaderRow = 3;  // the title, the subtitle, a blank row, then the table
constexpr double kMinWidth = 10, kMaxWidth = 80;
}  // namespace xlsx

Error render_failed(std::string message) { return make_error(ErrorKind::unavailable, "render_failed", std::move(message)); }

struct XlsxFormats {
    lxw_format* title;
    lxw_format* bold;
    lxw_format* right;  // the hidden mark and the column headers sit right, over the numbers
    lxw_format* bold_right;
};

XlsxFormats add_formats(lxw_workbook* workbook) {
    XlsxFormats f{workbook_add_format(workbook), workbook_add_format(workbook), workbook_add_format(workbook), workbook_add_format(workbook)};
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    format_set_bold(f.bold);
    format_set_align(f.right, LXW_ALIGN_RIGHT);
    format_set_bold(f.bold_right);
    format_set_align(f.bold_right, LXW_ALIGN_RIGHT);
    return f;
}

// libxlsxwriter reports each write's failure (a string past Excel's 32,767 characters, …); the first one counts.
struct XlsxErrors {
    lxw_error first = LXW_NO_ERROR;
    void operator()(lxw_error error) {
        if (first == LXW_NO_ERROR) first = error;
    }
};

void size_columns(lxw_worksheet* sheet, const View& view, XlsxErrors& check) {
    size_t label = code_points(view.first_column);
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) label = std::max(label, code_points(row.label));
    const double first = std::clamp(double(label) * 1.1 + 2, xlsx::kMinWidth, xlsx::kMaxWidth);
    check(worksheet_set_column(sheet, 0, 0, first, nullptr));
    for (size_t c = 0; c < view.columns.size(); ++c) {
        const double width = std::clamp(double(code_points(view.columns[c])) + 3, xlsx::kMinWidth, xlsx::kMaxWidth);
        check(worksheet_set_column(sheet, lxw_col_t(c + 1), lxw_col_t(c + 1), width, nullptr));
    }
}

void write_row(lxw_worksheet* sheet, lxw_row_t at, const View& view, const View::Row& row, const XlsxFormats& f, XlsxErrors& check) {
    check(worksheet_write_string(sheet, at, 0, row.label.c_str(), row.total ? f.bold : nullptr));
    for (size_t c = 0; c < view.columns.size(); ++c) {
        const auto col = lxw_col_t(c + 1);
        if (c < row.cells.size() && row.cells[c])
            check(worksheet_write_number(sheet, at, col, double(*row.cells[c]), row.total ? f.bold : nullptr));
        else
            check(worksheet_write_string(sheet, at, col, view.hidden_mark.c_str(), row.total ? f.bold_right : f.right));
    }
}

void write_sheet(lxw_workbook* workbook, const View& view, XlsxErrors& check) {
    const XlsxFormats f = add_formats(workbook);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Report");
    if (!sheet) return check(LXW_ERROR_MEMORY_MALLOC_FAILED);
    size_columns(sheet, view, check);
    check(worksheet_write_string(sheet, 0, 0, view.title.c_str(), f.title));
    check(worksheet_write_string(sheet, 1, 0, view.subtitle.c_str(), nullptr));
    check(worksheet_write_string(sheet, xlsx::kHeaderRow, 0, view.first_column.c_str(), f.bold));
    for (size_t c = 0; c < view.columns.size(); ++c)
        check(worksheet_write_string(sheet, xlsx::kHeaderRow, lxw_col_t(c + 1), view.columns[c].c_str(), f.bold_right));
    lxw_row_t at = xlsx::kHeaderRow + 1;
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) write_row(sheet, at++, view, row, f, check);
    check(worksheet_write_string(sheet, at + 1, 0, view.note.c_str(), nullptr));
    // On screen the labels and the header stay in view; on paper the header repeats and the width fits a page.
    worksheet_freeze_panes(sheet, xlsx::kHeaderRow + 1, 1);
    check(worksheet_repeat_rows(sheet, xlsx::kHeaderRow, xlsx::kHeaderRow));
    if (view.columns.size() > 7) worksheet_set_landscape(sheet);
    worksheet_fit_to_pages(sheet, 1, 0);
}

size_t row_count(const View& view) {
    size_t rows = 0;
    for (const View::Group& group : view.groups) rows += group.rows.size();
    return rows;
}

// workbook_close both writes and frees: the guard closes a workbook an early return would leave open.
struct WorkbookCloser {
    void operator()(lxw_workbook* workbook) const { workbook_close(workbook); }
};

// ---- PDF -------------------------------------------------------------------------------------------------------

namespace pdf {
// Points (1/72 inch): A4 is 595 × 842.
constexpr double kShortSide = 595, kLongSide = 842;
constexpr size_t kPortraitColumns = 7;  // more columns than this turn the page
constexpr size_t kMaxColumns = 30;      // past this a number column would be narrower than its figures
constexpr double kMargin = 40;
constexpr double kPad = 3;               // inside a table cell
constexpr double kLabelShare = 0.3;      // the labels' column claims up to this share before the headers wrap
constexpr double kMinLabelShare = 0.15;  // and keeps this much however many columns
constexpr double kMaxNumberWidth = 90;   // a longer column header wraps rather than squeeze the labels
constexpr double kChartPlot = 110;       // a chart's bar area, in height
constexpr double kMaxSlot = 60;          // per bar: a few bars stay bars, not slabs
constexpr double kHiddenShare = 0.3;     // as in the SVG
constexpr size_t kMaxBytes = 64u << 20;  // a report this large is a bug, not a report
// Greys: black on white, so the page prints as it shows.
constexpr double kInk = 0, kGrid = 0.35, kBar = 0.25, kHeaderFill = 0.9;
}  // namespace pdf

template <auto Free>
struct Freer {
    template <class T>
    void operator()(T* object) const {
        Free(object);
    }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, Freer<cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Freer<cairo_destroy>>;
using LayoutPtr = std::unique_ptr<PangoLayout, Freer<g_object_unref>>;
using FontPtr = std::unique_ptr<PangoFontDescription, Freer<pango_font_description_free>>;

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::string*>(closure);
    if (out->size() + length > pdf::kMaxBytes) return CAIRO_STATUS_WRITE_ERROR;
    try {
        out->append(reinterpret_cast<const char*>(data), length);
    } catch (const std::bad_alloc&) {
        return CAIRO_STATUS_WRITE_ERROR;  // no exception may cross Cairo's C frames
    }
    return CAIRO_STATUS_SUCCESS;
}

// The document being drawn: the Cairo context, one Pango layout reused for every text, the fonts, and how far down
// the page the next thing goes.
class PdfPage {
public:
    PdfPage(cairo_t* cr, PangoLayout* layout, double width, double height) : cr_(cr), layout_(layout), width_(width), height_(height) {
        // Pango's default of 96 dpi would draw "9" as 12 points: at 72 a size is in points, as the page is.
        pango_cairo_context_set_resolution(pango_layout_get_context(layout_), 72);
        pango_layout_context_changed(layout_);
        pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
    }

    const PangoFontDescription* regular() const { return regular_.get(); }
    const PangoFontDescription* bold() const { return bold_.get(); }
    const PangoFontDescription* title() const { return title_.get(); }
    const PangoFontDescription* subtitle() const { return subtitle_.get(); }
    const PangoFontDescription* heading() const { return heading_.get(); }
    const PangoFontDescription* small() const { return small_.get(); }
    const PangoFontDescription* small_bold() const { return small_bold_.get(); }

    double content_width() const { return width_ - 2 * pdf::kMargin; }
    double y() const { return y_; }
    void advance(double by) { y_ += by; }
    bool fits(double height) const { return y_ + height <= height_ - pdf::kMargin; }
    void new_page() {
        cairo_show_page(cr_);
        y_ = pdf::kMargin;
    }
    // A new page only when something is already on this one: a block taller than a page is drawn and overflows,
    // rather than turning pages forever.
    void make_room(double height) {
        if (!fits(height) && y_ > pdf::kMargin) new_page();
    }

    // Sets the layout's text; width < 0: one line, unwrapped.
    void set(std::string_view text, const PangoFontDescription* font, double width, PangoAlignment align = PANGO_ALIGN_LEFT) {
        pango_layout_set_font_description(layout_, font);
        pango_layout_set_width(layout_, width < 0 ? -1 : pango_units_from_double(width));
        pango_layout_set_alignment(layout_, align);
        pango_layout_set_text(layout_, text.data(), int(text.size()));
    }
    double text_width() const { return size().first; }
    double text_height() const { return size().second; }
    void draw(double x, double y) {
        cairo_set_source_rgb(cr_, pdf::kInk, pdf::kInk, pdf::kInk);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, layout_);
    }
    cairo_t* cr() const { return cr_; }

private:
    std::pair<double, double> size() const {
        int w = 0, h = 0;
        pango_layout_get_size(layout_, &w, &h);
        return {pango_units_to_double(w), pango_units_to_double(h)};
    }

    cairo_t* cr_;
    PangoLayout* layout_;
    double width_, height_, y_ = pdf::kMargin;
    FontPtr regular_{pango_font_description_from_string("DejaVu Sans 9")};
    FontPtr bold_{pango_font_description_from_string("DejaVu Sans Bold 9")};
    FontPtr title_{pango_font_description_from_string("DejaVu Sans Bold 16")};
    FontPtr subtitle_{pango_font_description_from_string("DejaVu Sans 10")};
    FontPtr heading_{pango_font_description_from_string("DejaVu Sans Bold 10")};
    FontPtr small_{pango_font_description_from_string("DejaVu Sans 8")};
    FontPtr small_bold_{pango_font_description_from_string("DejaVu Sans Bold 8")};
};

void paragraph(PdfPage& page, std::string_view text, const PangoFontDescription* font, double space_after) {
    if (text.empty()) return;
    page.set(text, font, page.content_width());
    const double height = page.text_height();
    page.make_room(height);
    page.draw(pdf::kMargin, page.y());
    page.advance(height + space_after);
}

// The table's column widths. The number columns share one width: their full header on one line when the row
// labels leave room (up to a limit), else no less than their longest word and widest figure, so a header wraps
// between words, never inside one. The labels' column takes the rest; it wraps too. A table with too many columns
// for that at 9 points is set at 8.
struct TableLayout {
    double label = 0, number = 0;
    const PangoFontDescription* regular = nullptr;
    const PangoFontDescription* bold = nullptr;
    bool whole_words = true;  // no header breaks inside a word
};

double widest(PdfPage& page, const std::vector<std::string>& texts, const PangoFontDescription* font) {
    double width = 0;
    for (const std::string& text : texts) {
        page.set(text, font, -1);
        width = std::max(width, page.text_width());
    }
    return width;
}

std::vector<std::string> words(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    for (const std::string& text : texts)
        for (size_t at = 0; at < text.size();) {
            const size_t end = std::min(text.find(' ', at), text.size());
            if (end > at) out.push_back(text.substr(at, end - at));
            at = end + 1;
        }
    return out;
}

TableLayout measure_table(PdfPage& page, const View& view, const PangoFontDescription* regular, const PangoFontDescription* bold) {
    std::vector<std::string> labels{view.first_column}, figures;
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) {
            labels.push_back(row.label);
            for (size_t c = 0; c < view.columns.size(); ++c) figures.push_back(cell_text(view, row, c));
        }
    const double all = page.content_width(), count = double(view.columns.size()), pad = 2 * pdf::kPad;
    // Figures in bold (total rows) are the wider: measured so, every figure fits either weight.
    const double figure = widest(page, figures, bold);
    const double full = std::min(std::max(figure, widest(page, view.columns, bold)) + pad, pdf::kMaxNumberWidth);
    const double least = std::max(figure, widest(page, words(view.columns), bold)) + pad;
    const double label_wanted = std::min(widest(page, labels, bold) + pad, all * pdf::kLabelShare);
    TableLayout table{0, full, regular, bold};
    if (count > 0 && all - count * full < label_wanted) table.number = std::max(least, (all - label_wanted) / count);
    table.label = all - count * table.number;
    if (table.label < all * pdf::kMinLabelShare) {
        table.label = all * pdf::kMinLabelShare;
        table.number = (all - table.label) / count;
        table.whole_words = false;
    }
    return table;
}

TableLayout layout_table(PdfPage& page, const View& view) {
    TableLayout table = measure_table(page, view, page.regular(), page.bold());
    return table.whole_words ? table : measure_table(page, view, page.small(), page.small_bold());
}

// texts[0] is the label, the rest the figures (right-aligned, as numbers read).
double row_height(PdfPage& page, const TableLayout& table, const std::vector<std::string>& texts, bool bold) {
    double height = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        page.set(texts[i], bold ? table.bold : table.regular, (i ? table.number : table.label) - 2 * pdf::kPad,
                 i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        height = std::max(height, page.text_height());
    }
    return height + 2 * pdf::kPad;
}

void draw_row(PdfPage& page, const TableLayout& table, const std::vector<std::string>& texts, bool bold, bool header) {
    const double height = row_height(page, table, texts, bold);
    cairo_t* cr = page.cr();
    double x = pdf::kMargin;
    for (size_t i = 0; i < texts.size(); ++i) {
        const double width = i ? table.number : table.label;
        cairo_rectangle(cr, x, page.y(), width, height);
        if (header) {
            cairo_set_source_rgb(cr, pdf::kHeaderFill, pdf::kHeaderFill, pdf::kHeaderFill);
            cairo_fill_preserve(cr);
        }
        cairo_set_source_rgb(cr, pdf::kGrid, pdf::kGrid, pdf::kGrid);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
        page.set(texts[i], bold ? table.bold : table.regular, width - 2 * pdf::kPad, i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        page.draw(x + pdf::kPad, page.y() + pdf::kPad);
        x += width;
    }
    page.advance(height);
}

void draw_table(PdfPage& page, const View& view) {
    const TableLayout table = layout_table(page, view);
    std::vector<std::string> header{view.first_column};
    header.insert(header.end(), view.columns.begin(), view.columns.end());
    page.make_room(2 * row_height(page, table, header, true));  // never a header alone at a page's foot
    draw_row(page, table, header, true, true);
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) {
            std::vector<std::string> texts{row.label};
            for (size_t c = 0; c < view.columns.size(); ++c) texts.push_back(cell_text(view, row, c));
            if (!page.fits(row_height(page, table, texts, row.total))) {
                page.new_page();
                draw_row(page, table, header, true, true);
            }
            draw_row(page, table, texts, row.total, false);
        }
}

void draw_bar(PdfPage& page, const View& view, const Bar& bar, double x, double slot, double base, int64_t top) {
    cairo_t* cr = page.cr();
    const double width = slot * 0.6, left = x + (slot - width) / 2;
    double height = 0;
    if (bar.value) {
        height = top > 0 ? pdf::kChartPlot * double(*bar.value) / double(top) : 0;
        cairo_rectangle(cr, left, base - height, width, height);
        cairo_set_source_rgb(cr, pdf::kBar, pdf::kBar, pdf::kBar);
        cairo_fill(cr);
    } else {
        height = pdf::kChartPlot * pdf::kHiddenShare;
        const double dashes[] = {3, 2};
        cairo_rectangle(cr, left, base - height, width, height);
        cairo_set_source_rgb(cr, pdf::kBar, pdf::kBar, pdf::kBar);
        cairo_set_line_width(cr, 0.8);
        cairo_set_dash(cr, dashes, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    page.set(bar.value ? std::to_string(*bar.value) : view.hidden_mark, page.small(), slot, PANGO_ALIGN_CENTER);
    page.draw(x, base - height - 2 - page.text_height());
    page.set(bar.label, page.small(), slot - 2, PANGO_ALIGN_CENTER);
    page.draw(x + 1, base + 3);
}

// A group's chart: its indicator, then its total row's bars over the columns but the total, labelled above with
// the value (or the hidden mark) and below with the column.
void draw_chart(PdfPage& page, const View& view, const View::Group& group) {
    const std::vector<Bar> drawn = bars(view, group, false);
    const double slot = drawn.empty() ? 0 : std::min(pdf::kMaxSlot, page.content_width() / double(drawn.size()));
    double labels = 0;
    for (const Bar& bar : drawn) {
        page.set(bar.label, page.small(), slot - 2, PANGO_ALIGN_CENTER);
        labels = std::max(labels, page.text_height());
    }
    page.set("0", page.small(), -1);
    const double values = page.text_height() + 2;
    page.set(group.indicator, page.heading(), page.content_width());
    const double heading = page.text_height() + 6;
    page.make_room(heading + values + pdf::kChartPlot + 3 + labels);
    page.draw(pdf::kMargin, page.y());
    const double base = page.y() + heading + values + pdf::kChartPlot;
    const int64_t top = highest(drawn);
    for (size_t i = 0; i < drawn.size(); ++i) draw_bar(page, view, drawn[i], pdf::kMargin + double(i) * slot, slot, base, top);
    cairo_t* cr = page.cr();
    cairo_move_to(cr, pdf::kMargin, base);
    cairo_line_to(cr, pdf::kMargin + double(drawn.size()) * slot, base);
    cairo_set_source_rgb(cr, pdf::kInk, pdf::kInk, pdf::kInk);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    page.advance(heading + values + pdf::kChartPlot + 3 + labels + 18);
}

void draw_report(PdfPage& page, const View& view) {
    paragraph(page, view.title, page.title(), 4);
    paragraph(page, view.subtitle, page.subtitle(), 14);
    draw_table(page, view);
    page.advance(8);
    paragraph(page, view.note, page.regular(), 18);
    for (const View::Group& group : view.groups) draw_chart(page, view, group);
}

}  // namespace

std::string render_csv(const View& view) {
    std::vector<std::string> header{view.first_column};
    header.insert(header.end(), view.columns.begin(), view.columns.end());
    std::string out = text::csv_line(header);
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) {
            std::vector<std::string> fields{row.label};
            for (size_t c = 0; c < view.columns.size(); ++c) fields.push_back(cell_text(view, row, c));
            out += text::csv_line(fields);
        }
    // A blank line sets the note apart from the table, for a reader and for a script that stops at it.
    out += text::csv_line({});
    out += text::csv_line({view.note});
    return out;
}

std::vector<std::string> render_charts(const View& view) {
    std::vector<std::string> charts;
    for (size_t i = 0; i < view.groups.size(); ++i) charts.push_back(chart_svg(view, view.groups[i], i));
    return charts;
}

Result<std::string> render_xlsx(const View& view) {
    if (view.columns.size() + 1 > xlsx::kMaxColumns || xlsx::kHeaderRow + row_count(view) + 3 > xlsx::kMaxRows)
        return render_failed("The spreadsheet could not be written.");
    ScratchDir scratch;
    if (!scratch.ok()) return render_failed("The spreadsheet could not be written.");
    const std::filesystem::path file = scratch.path() / "report.xlsx";
    // libxlsxwriter's own temporary files go to the same private directory, so they are removed with it.
    std::string tmpdir = scratch.path().string();
    lxw_workbook_options options{};
    options.tmpdir = tmpdir.data();
    std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new_opt(file.c_str(), &options));
    if (!workbook) return render_failed("The spreadsheet could not be written.");
    XlsxErrors check;
    write_sheet(workbook.get(), view, check);
    if (check.first != LXW_NO_ERROR) return render_failed("The spreadsheet could not be written.");
    if (workbook_close(workbook.release()) != LXW_NO_ERROR) return render_failed("The spreadsheet could not be written.");
    std::optional<std::string> bytes = read_bytes(file);
    if (!bytes) return render_failed("The spreadsheet could not be written.");
    return std::move(*bytes);
}

Result<std::string> render_pdf(const View& view) {
    if (view.columns.size() > pdf::kMaxColumns)
        return make_error(ErrorKind::invalid, "too_many_columns", "A PDF page holds at most 30 columns: take the spreadsheet instead.");
    const bool landscape = view.columns.size() > pdf::kPortraitColumns;
    const double width = landscape ? pdf::kLongSide : pdf::kShortSide, height = landscape ? pdf::kShortSide : pdf::kLongSide;
    std::string out;  // outlives the surface, which writes into it until destroyed
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    {
        SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_to, &out, width, height));
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, view.title.c_str());
        {
            CairoPtr cr(cairo_create(surface.get()));
            LayoutPtr layout(pango_cairo_create_layout(cr.get()));
            PdfPage page(cr.get(), layout.get(), width, height);
            draw_report(page, view);
            status = cairo_status(cr.get());
        }
        cairo_surface_finish(surface.get());  // writes the last page and the trailer
        if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
    }
    if (status != CAIRO_STATUS_SUCCESS) return render_failed("The PDF could not be written.");
    return out;
}

}  // namespace haven::reports

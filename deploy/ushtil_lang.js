// The reader's language for "/", chosen on the server the same way static/lang.js does
// it in the browser: the remembered choice (cookie ushtil_lang), then the Accept-Language
// header by its q-values, then the site's default. nginx.conf sets the languages in
// $ushtil_languages (space-separated, the default first).

function languages(r) {
    return String(r.variables.ushtil_languages || "").split(" ").filter(function (code) {
        return code.length > 0;
    });
}

// [{code, q}] from an Accept-Language header, best first; equal q-values keep their order.
function preferences(header) {
    var result = [];
    String(header || "").split(",").forEach(function (part, index) {
        var pieces = part.trim().split(";");
        var tag = pieces[0].trim().toLowerCase();
        if (!tag) {
            return;
        }
        var q = 1;
        for (var i = 1; i < pieces.length; i++) {
            var param = pieces[i].trim().toLowerCase();
            if (param.indexOf("q=") === 0) {
                q = parseFloat(param.substring(2));
                if (isNaN(q) || q < 0 || q > 1) {
                    q = 0;
                }
            }
        }
        if (q > 0) {
            result.push({code: tag === "*" ? "*" : tag.split("-")[0], q: q, index: index});
        }
    });
    result.sort(function (a, b) {
        return b.q - a.q || a.index - b.index;
    });
    return result;
}

function choose(r) {
    var available = languages(r);
    if (available.length === 0) {
        return "";
    }
    var cookie = r.variables.cookie_ushtil_lang;
    if (cookie && available.indexOf(cookie) >= 0) {
        return cookie;
    }
    var wanted = preferences(r.headersIn["Accept-Language"]);
    for (var i = 0; i < wanted.length; i++) {
        if (wanted[i].code === "*") {
            return available[0];
        }
        if (available.indexOf(wanted[i].code) >= 0) {
            return wanted[i].code;
        }
    }
    return available[0];
}

export default {choose: choose, preferences: preferences};

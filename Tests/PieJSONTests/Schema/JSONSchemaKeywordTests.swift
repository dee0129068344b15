import PieJSON
import Testing

/// Each supported keyword accepts what it should and names the problem when it does not.
@Suite struct JSONSchemaKeywordTests {
    private func valid(_ schema: String, _ value: String) throws -> Bool {
        try SchemaText.problems(schema, value).isEmpty
    }

    @Test func typeNamesEachKindAndIntegerMeansIntegral() throws {
        #expect(try valid(#"{"type":"integer"}"#, "5"))
        #expect(try valid(#"{"type":"integer"}"#, "5.0"))
        #expect(try SchemaText.problems(#"{"type":"integer"}"#, "5.5") == ["arguments: expected an integer, got the number 5.5"])
        #expect(try SchemaText.problems(#"{"type":"integer"}"#, #""5""#) == [#"arguments: expected an integer, got the string "5""#])
        #expect(try valid(#"{"type":"number"}"#, "-0.25"))
        #expect(try valid(#"{"type":"null"}"#, "null"))
        #expect(try SchemaText.problems(#"{"type":"boolean"}"#, "0") == ["arguments: expected a boolean, got the number 0"])
        #expect(try SchemaText.problems(#"{"type":"number"}"#, "true") == ["arguments: expected a number, got the boolean true"])
        #expect(try SchemaText.problems(#"{"type":"object"}"#, "[1,2]") == ["arguments: expected an object, got an array of 2 items"])
        #expect(try SchemaText.problems(#"{"type":"array"}"#, "{}") == ["arguments: expected an array, got an object"])
        #expect(try valid(#"{"type":["string","null"]}"#, "null"))
        #expect(
            try SchemaText.problems(#"{"type":["string","integer","null"]}"#, "1.5")
                == ["arguments: expected a string, an integer or null, got the number 1.5"])
    }

    @Test func enumAndConstUseJSONEquality() throws {
        #expect(try valid(#"{"enum":["open","closed",1]}"#, "1.0"))
        #expect(try valid(#"{"enum":[{"a":1,"b":[true]}]}"#, #"{"b":[true],"a":1}"#))
        #expect(try !valid(#"{"enum":[1]}"#, "true"))
        #expect(try !valid(#"{"const":false}"#, "0"))
        #expect(try !valid(#"{"const":null}"#, "false"))
        #expect(
            try SchemaText.problems(#"{"enum":["open","closed"]}"#, #""opne""#)
                == [#"arguments: expected one of "open", "closed", got the string "opne""#])
        #expect(try SchemaText.problems(#"{"const":"cat"}"#, #""dog""#) == [#"arguments: expected exactly "cat", got the string "dog""#])
    }

    @Test func propertiesRequiredAndAdditionalProperties() throws {
        let schema = #"{"type":"object","properties":{"path":{"type":"string"},"limit":{"type":"integer"}},"required":["path"],"additionalProperties":false}"#
        #expect(try valid(schema, #"{"path":"a"}"#))
        #expect(
            try SchemaText.problems(schema, #"{"paht":"a","limit":"x"}"#) == [
                #"arguments: missing required property "path""#,
                #"arguments: unexpected property "paht" (allowed: path, limit)"#,
                #"arguments.limit: expected an integer, got the string "x""#,
            ])
        // Open by default: members the schema does not name pass.
        #expect(try valid(#"{"properties":{"a":{"type":"string"}}}"#, #"{"b":1}"#))
        let typed = #"{"additionalProperties":{"type":"integer"},"properties":{"name":{"type":"string"}}}"#
        #expect(try valid(typed, #"{"name":"x","count":2}"#))
        #expect(try SchemaText.problems(typed, #"{"name":"x","n":"2"}"#) == [#"arguments.n: expected an integer, got the string "2""#])
        #expect(try SchemaText.problems(#"{"additionalProperties":false}"#, #"{"x":1}"#) == [#"arguments: unexpected property "x" (no properties are allowed)"#])
    }

    @Test func patternPropertiesAndPropertyNames() throws {
        let schema = #"{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}"#
        #expect(try valid(schema, #"{"x-a":"1","x-b":"2"}"#))
        #expect(
            try SchemaText.problems(schema, #"{"x-a":1,"y":"2"}"#) == [
                #"arguments["x-a"]: expected a string, got the number 1"#,
                #"arguments: unexpected property "y" (allowed: names matching /^x-/)"#,
            ])
        let names = #"{"propertyNames":{"maxLength":3}}"#
        #expect(try valid(names, #"{"abc":1}"#))
        #expect(try SchemaText.problems(names, #"{"abcd":1}"#) == [#"arguments: property name "abcd": expected at most 3 characters, got 4"#])
    }

    @Test func propertyCounts() throws {
        #expect(try SchemaText.problems(#"{"minProperties":1}"#, "{}") == ["arguments: expected at least 1 property, got 0"])
        #expect(try SchemaText.problems(#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#) == ["arguments: expected at most 1 property, got 2"])
    }

    @Test func itemsPrefixItemsAndDraft07Tuples() throws {
        let list = #"{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3}"#
        #expect(try valid(list, #"["a"]"#))
        #expect(try SchemaText.problems(list, "[]") == ["arguments: expected at least 1 item, got 0"])
        #expect(
            try SchemaText.problems(list, #"["a",2,"c",4]"#) == [
                "arguments: expected at most 3 items, got 4",
                "arguments[1]: expected a string, got the number 2",
                "arguments[3]: expected a string, got the number 4",
            ])
        let tuple = #"{"prefixItems":[{"type":"integer"},{"type":"string"}],"items":false}"#
        #expect(try valid(tuple, #"[1,"a"]"#))
        #expect(try valid(tuple, "[1]"))
        #expect(try SchemaText.problems(tuple, #"[1,"a",null]"#) == ["arguments[2]: no value is allowed here, got null"])
        let draft07 = #"{"items":[{"type":"integer"}],"additionalItems":{"type":"boolean"}}"#
        #expect(try valid(draft07, "[1,true,false]"))
        #expect(try SchemaText.problems(draft07, #"[1,"x"]"#) == [#"arguments[1]: expected a boolean, got the string "x""#])
        // Draft-07 ignores additionalItems beside a single `items` schema.
        #expect(try valid(#"{"items":{"type":"integer"},"additionalItems":false}"#, "[1,2]"))
    }

    @Test func uniqueItemsComparesAsJSON() throws {
        let schema = #"{"uniqueItems":true}"#
        #expect(try valid(schema, #"[1,"1",true,[1],{"a":1}]"#))
        #expect(try SchemaText.problems(schema, #"[{"a":1,"b":2},3,{"b":2,"a":1}]"#) == ["arguments: expected unique items, but items [0] and [2] are equal"])
        #expect(try !valid(schema, "[1,1.0]"))
        #expect(try valid(#"{"uniqueItems":false}"#, "[1,1]"))
    }

    @Test func lengthsCountCodePoints() throws {
        // "é" as e + combining accent is two code points; 😀 is one.
        #expect(try valid(#"{"maxLength":1}"#, #""😀""#))
        #expect(try SchemaText.problems(#"{"maxLength":1}"#, #""e\u0301""#) == ["arguments: expected at most 1 character, got 2"])
        #expect(try SchemaText.problems(#"{"minLength":3}"#, #""ab""#) == ["arguments: expected at least 3 characters, got 2"])
        // Length constraints apply to strings only.
        #expect(try valid(#"{"minLength":3}"#, "1"))
    }

    @Test func patternIsUnanchoredAndECMAFlavoured() throws {
        #expect(try valid(#"{"pattern":"b+"}"#, #""abbc""#))
        #expect(try SchemaText.problems(#"{"pattern":"^[A-Z]{3}-\\d+$"}"#, #""AB-1""#) == [#"arguments: expected a string matching /^[A-Z]{3}-\d+$/, got the string "AB-1""#])
        #expect(try valid(#"{"pattern":"^[A-Z]{3}-\\d+$"}"#, #""ABC-12""#))
        // ECMA-262: \d and \w are ASCII; $ is the end of the input, not before a final newline.
        #expect(try !valid(#"{"pattern":"^\\d$"}"#, #""٣""#))
        #expect(try !valid(#"{"pattern":"^\\w+$"}"#, #""é""#))
        #expect(try !valid(#"{"pattern":"^abc$"}"#, #""abc\n""#))
        // Matching is over code points: "." is one scalar, not a grapheme cluster.
        #expect(try !valid(#"{"pattern":"^.$"}"#, #""e\u0301""#))
        // pydantic's Decimal pattern uses a lookahead.
        let decimal = #"{"pattern":"^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$"}"#
        #expect(try valid(decimal, #""-12.50""#))
        #expect(try !valid(decimal, #""+.""#))
        #expect(try valid(#"{"pattern":"^a"}"#, "5"))
    }

    @Test func numericBounds() throws {
        let schema = #"{"minimum":1,"maximum":10}"#
        #expect(try valid(schema, "1"))
        #expect(try valid(schema, "10"))
        #expect(try SchemaText.problems(schema, "0.5") == ["arguments: expected at least 1, got 0.5"])
        #expect(try SchemaText.problems(schema, "11") == ["arguments: expected at most 10, got 11"])
        let exclusive = #"{"exclusiveMinimum":0,"exclusiveMaximum":1}"#
        #expect(try valid(exclusive, "0.5"))
        #expect(try SchemaText.problems(exclusive, "0") == ["arguments: expected more than 0, got 0"])
        #expect(try SchemaText.problems(exclusive, "1") == ["arguments: expected less than 1, got 1"])
        // Draft-04: booleans that make `minimum`/`maximum` exclusive.
        let draft04 = #"{"minimum":0,"exclusiveMinimum":true,"maximum":5,"exclusiveMaximum":false}"#
        #expect(try SchemaText.problems(draft04, "0") == ["arguments: expected more than 0, got 0"])
        #expect(try valid(draft04, "5"))
        #expect(try valid(#"{"minimum":3}"#, #""2""#))
    }

    @Test func multipleOf() throws {
        #expect(try valid(#"{"multipleOf":3}"#, "-9"))
        #expect(try SchemaText.problems(#"{"multipleOf":3}"#, "10") == ["arguments: expected a multiple of 3, got 10"])
        #expect(try valid(#"{"multipleOf":0.5}"#, "2.5"))
        #expect(try !valid(#"{"multipleOf":0.5}"#, "2.25"))
        // Fractional divisors by quotient, as Python's jsonschema: 0.5 / 0.1 is 5.
        #expect(try valid(#"{"multipleOf":0.1}"#, "0.5"))
        #expect(try valid(#"{"multipleOf":0.5}"#, "1e308"))
        #expect(try !valid(#"{"multipleOf":2}"#, "7.5"))
    }

    @Test func allOfAnyOfOneOfNot() throws {
        let all = #"{"allOf":[{"type":"integer"},{"minimum":2}]}"#
        #expect(try valid(all, "3"))
        #expect(try SchemaText.problems(all, "1") == ["arguments: expected at least 2, got 1"])
        let optional = #"{"anyOf":[{"type":"string"},{"type":"null"}]}"#
        #expect(try valid(optional, "null"))
        #expect(try SchemaText.problems(optional, "3") == ["arguments: expected a string or null, got the number 3"])
        // The alternative of the value's own type speaks for itself.
        let optionalEnum = #"{"anyOf":[{"enum":["open","closed"],"type":"string"},{"type":"null"}]}"#
        #expect(try SchemaText.problems(optionalEnum, #""x""#) == [#"arguments: expected one of "open", "closed", got the string "x""#])
        let one = #"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#
        #expect(try valid(one, "-1"))
        #expect(try valid(one, "0.5"))
        #expect(try SchemaText.problems(one, "2") == ["arguments: matches alternatives 1 and 2 of oneOf, but must match exactly one"])
        #expect(
            try SchemaText.problems(#"{"oneOf":[{"minimum":5},{"maximum":1}]}"#, "3")
                == ["arguments: matches none of the 2 alternatives of oneOf: (1) arguments: expected at least 5, got 3 (2) arguments: expected at most 1, got 3"])
        #expect(try SchemaText.problems(#"{"not":{"type":"null"}}"#, "null") == ["arguments: must not match the schema under 'not', got null"])
        #expect(try valid(#"{"not":{"type":"null"}}"#, "1"))
    }

    @Test func booleanSchemas() throws {
        #expect(try valid("true", #"{"anything":[1]}"#))
        #expect(try SchemaText.problems("false", "{}") == ["arguments: no value is allowed here, got an object"])
        #expect(try SchemaText.problems(#"{"properties":{"gone":false}}"#, #"{"gone":1}"#) == ["arguments.gone: no value is allowed here, got the number 1"])
    }

    @Test func annotationsAreIgnored() throws {
        let schema = #"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:x","$comment":"c","title":"T",
         "description":"d","default":1,"examples":[2],"format":"date-time","deprecated":true,"readOnly":false,
         "writeOnly":false,"contentMediaType":"text/plain","contentEncoding":"base64",
         "discriminator":{"propertyName":"kind"},"type":"string"}
        """#
        #expect(try valid(schema, #""not a date""#))
        #expect(try SchemaText.refusal(#"{"$schema":"http://json-schema.org/draft-07/schema#"}"#) == nil)
        #expect(try SchemaText.refusal(#"{"$schema":"http://json-schema.org/draft-04/schema#"}"#) == nil)
    }

    @Test func pathsNameMembersAndItems() throws {
        let schema = #"{"properties":{"items":{"items":{"properties":{"name":{"type":"string"}}}},"a b":{"type":"string"}}}"#
        #expect(
            try SchemaText.problems(schema, #"{"items":[{"name":"x"},{},{"name":3}],"a b":1}"#) == [
                "arguments.items[2].name: expected a string, got the number 3",
                #"arguments["a b"]: expected a string, got the number 1"#,
            ])
        #expect(try JSONSchema.compile(JSONParser.parse(#"{"type":"string"}"#)).validate(1) == ["value: expected a string, got the number 1"])
    }

    @Test func longValuesAreCutAndEscaped() throws {
        let long = String(repeating: "x", count: 50) + "\n"
        let problems = try JSONSchema.compile(JSONParser.parse(#"{"type":"integer"}"#)).validate(.string(long))
        #expect(problems == [#"value: expected an integer, got the string "# + "\"" + String(repeating: "x", count: 40) + "\"…"])
    }

    @Test func problemsAreCappedWithACount() throws {
        let schema = try SchemaText.compile(#"{"items":{"type":"string"}}"#)
        let problems = schema.validate(.array((0..<25).map { .integer($0) }))
        #expect(problems.count == JSONSchema.problemLimit + 1)
        #expect(problems.first == "value[0]: expected a string, got the number 0")
        #expect(problems.last == "and 5 more problems")
        #expect(schema.validate(.array((0..<21).map { .integer($0) })).last == "and 1 more problem")
        #expect(schema.validate(.array((0..<20).map { .integer($0) })).count == 20)
    }

    @Test func longEnumsAreShortenedAndThreeWayOneOfIsCounted() throws {
        let numbers = (1...15).map(String.init).joined(separator: ",")
        #expect(
            try SchemaText.problems(#"{"enum":[\#(numbers)]}"#, "0")
                == ["arguments: expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … (15 values), got the number 0"])
        #expect(
            try SchemaText.problems(#"{"oneOf":[true,{},{"type":"integer"}]}"#, "1")
                == ["arguments: matches alternatives 1, 2 and 3 of oneOf, but must match exactly one"])
    }

    @Test func nestedAlternativesKeepTheirPaths() throws {
        let schema = #"{"properties":{"pet":{"anyOf":[{"type":"object","properties":{"lives":{"type":"integer"}}},{"type":"null"}]}}}"#
        // Only the object alternative fits an object, so its own problem is the answer.
        #expect(try SchemaText.problems(schema, #"{"pet":{"lives":"nine"}}"#) == [#"arguments.pet.lives: expected an integer, got the string "nine""#])
        #expect(try SchemaText.problems(schema, #"{"pet":3}"#) == ["arguments.pet: expected an object or null, got the number 3"])
        // Without a `type`, `properties` constrains objects only: a number passes that alternative.
        #expect(try SchemaText.problems(#"{"anyOf":[{"properties":{"a":false}},{"type":"null"}]}"#, "3").isEmpty)
    }
}

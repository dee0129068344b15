import PieJSON
import Testing

/// `$ref` within the document: `#`, `#/$defs/…`, `#/definitions/…` and other JSON Pointers;
/// recursion that descends is fine, a loop that never does is refused.
@Suite struct JSONSchemaReferenceTests {
    @Test func defsAndDefinitionsResolve() throws {
        let schema = ##"{"$defs":{"Name":{"type":"string"}},"definitions":{"Count":{"type":"integer"}},"properties":{"n":{"$ref":"#/$defs/Name"},"c":{"$ref":"#/definitions/Count"}}}"##
        #expect(try SchemaText.problems(schema, #"{"n":"x","c":2}"#).isEmpty)
        #expect(
            try SchemaText.problems(schema, #"{"n":1,"c":"2"}"#) == [
                "arguments.n: expected a string, got the number 1", #"arguments.c: expected an integer, got the string "2""#,
            ])
    }

    @Test func pointersAreUnescapedAndPercentDecoded() throws {
        let schema = ##"{"$defs":{"a/b":{"type":"string"},"t~x":{"type":"integer"},"sp ace":{"type":"null"}},"prefixItems":[{"$ref":"#/$defs/a~1b"},{"$ref":"#/$defs/t~0x"},{"$ref":"#/$defs/sp%20ace"},{"$ref":"#/prefixItems/0"}]}"##
        #expect(try SchemaText.problems(schema, #"["a",1,null,"b"]"#).isEmpty)
        #expect(try SchemaText.problems(schema, #"[1,1,null,2]"#).count == 2)
    }

    @Test func recursiveSchemasCheckEveryLevel() throws {
        let tree = ##"{"$defs":{"Node":{"properties":{"value":{"type":"integer"},"children":{"items":{"$ref":"#/$defs/Node"}}},"required":["value"]}},"$ref":"#/$defs/Node"}"##
        #expect(try SchemaText.problems(tree, #"{"value":1,"children":[{"value":2,"children":[{"value":3}]}]}"#).isEmpty)
        #expect(
            try SchemaText.problems(tree, #"{"value":1,"children":[{"value":2,"children":[{"value":"3"},{}]}]}"#) == [
                #"arguments.children[0].children[0].value: expected an integer, got the string "3""#,
                #"arguments.children[0].children[1]: missing required property "value""#,
            ])
        // `#` is the whole document.
        let list = ##"{"type":"object","properties":{"next":{"anyOf":[{"$ref":"#"},{"type":"null"}]}}}"##
        #expect(try SchemaText.problems(list, #"{"next":{"next":{"next":null}}}"#).isEmpty)
        #expect(try SchemaText.problems(list, #"{"next":{"next":3}}"#) == ["arguments.next.next: expected an object or null, got the number 3"])
    }

    @Test func loopsThatNeverDescendAreRefused() throws {
        let cases = [
            ##"{"$ref":"#"}"##,
            ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"properties":{"x":{"$ref":"#/$defs/a"}}}"##,
            ##"{"$defs":{"a":{"anyOf":[{"type":"null"},{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}"##,
            ##"{"$defs":{"a":{"not":{"allOf":[{"$ref":"#/$defs/a"}]}}},"items":{"$ref":"#/$defs/a"}}"##,
        ]
        for schema in cases {
            let error = try #require(try SchemaText.refusal(schema), "\(schema) compiled")
            #expect(error.keyword == "$ref")
            #expect(error.description.contains("loop back to the same value"), "\(error)")
        }
    }

    @Test func siblingsOfRefApplyToo() throws {
        // As in 2020-12: `$ref` is one keyword among the others (draft-07 would ignore `maxLength`).
        let schema = ##"{"$defs":{"S":{"type":"string"}},"$ref":"#/$defs/S","maxLength":2}"##
        #expect(try SchemaText.problems(schema, #""abc""#) == ["arguments: expected at most 2 characters, got 3"])
    }

    @Test func admitsObjectsLooksThroughReferences() throws {
        #expect(try SchemaText.compile(#"{"type":"object"}"#).admitsObjects)
        #expect(try SchemaText.compile(#"{}"#).admitsObjects)
        #expect(try SchemaText.compile("true").admitsObjects)
        #expect(try SchemaText.compile(#"{"type":["object","null"]}"#).admitsObjects)
        #expect(try !SchemaText.compile("false").admitsObjects)
        #expect(try !SchemaText.compile(#"{"type":"array"}"#).admitsObjects)
        #expect(try !SchemaText.compile(##"{"$defs":{"S":{"type":"string"}},"$ref":"#/$defs/S"}"##).admitsObjects)
        #expect(try !SchemaText.compile(#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#).admitsObjects)
        #expect(try SchemaText.compile(##"{"$defs":{"N":{"type":"object","properties":{"n":{"$ref":"#/$defs/N"}}}},"$ref":"#/$defs/N"}"##).admitsObjects)
    }

    @Test func equalityIsTheDocument() throws {
        #expect(try SchemaText.compile(#"{"type":"object","title":"a"}"#) == SchemaText.compile(#"{"title":"a","type":"object"}"#))
        #expect(try SchemaText.compile(#"{"type":"object"}"#) != SchemaText.compile(#"{"type":"object","title":"a"}"#))
    }
}

/// Documents and values built to exhaust the stack are refused, never crash pie.
@Suite struct JSONSchemaDepthTests {
    /// `$defs` d0 … dN, each an array of the next, the last an integer.
    private func chain(_ length: Int) -> JSONValue {
        var definitions = JSONObject()
        for index in 0..<length {
            definitions["d\(index)"] = ["items": ["$ref": .string("#/$defs/d\(index + 1)")]]
        }
        definitions["d\(length)"] = ["type": "integer"]
        return ["$defs": .object(definitions), "$ref": "#/$defs/d0"]
    }

    private func nested(_ value: JSONValue, _ levels: Int) -> JSONValue {
        var value = value
        for _ in 0..<levels { value = [value] }
        return value
    }

    @Test func aLongChainOfReferencesIsRefused() throws {
        do {
            _ = try JSONSchema.compile(chain(5000))
            Issue.record("a chain of 5,000 $refs compiled")
        } catch {
            #expect(error.description.contains("more than 200 levels deep"))
        }
        // A chain of 90 (181 subschemas deep) is fine.
        let schema = try JSONSchema.compile(chain(90))
        #expect(schema.isValid(nested(1, 90)))
        #expect(schema.validate(nested("1", 90)).first?.hasSuffix(#"expected an integer, got the string "1""#) == true)
    }

    @Test func aValueDeeperThanCheckingGoesIsInvalid() throws {
        let schema = try SchemaText.compile(##"{"$defs":{"N":{"type":"array","items":{"$ref":"#/$defs/N"}}},"$ref":"#/$defs/N"}"##)
        #expect(schema.isValid(nested([], 150)))
        let problems = schema.validate(nested([], 300))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("nested too deeply to check") == true)
    }
}

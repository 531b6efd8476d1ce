/// The catalog `motcua migrate` loads: the units of the seed reports, a set of real procedures and the
/// holiday calendars of DOMAIN.md §4. The same document is `catalog/default.json`, for operators to copy;
/// `DefaultCatalogTests` checks the two agree.
public enum DefaultCatalog {
    public static let json = #"""
{
  "units": [
    {
      "code": "000.00.00.H56",
      "name": "UBND tỉnh Quảng Ngãi",
      "level": "province",
      "parent": null
    },
    {
      "code": "000.00.15.H56",
      "name": "UBND huyện Bình Sơn",
      "level": "district",
      "parent": "000.00.00.H56"
    },
    {
      "code": "000.00.19.H56",
      "name": "UBND xã Bình Phước",
      "level": "commune",
      "parent": "000.00.15.H56"
    },
    {
      "code": "000.00.00.H06",
      "name": "UBND tỉnh Bắc Giang",
      "level": "province",
      "parent": null
    },
    {
      "code": "000.00.21.H06",
      "name": "UBND huyện Yên Thế",
      "level": "district",
      "parent": "000.00.00.H06"
    },
    {
      "code": "000.21.07.H06",
      "name": "UBND xã Đông Sơn",
      "level": "commune",
      "parent": "000.00.21.H06"
    },
    {
      "code": "000.00.00.H55",
      "name": "UBND tỉnh Thái Nguyên",
      "level": "province",
      "parent": null
    },
    {
      "code": "000.00.01.H55",
      "name": "Sở Ngoại vụ",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.02.H55",
      "name": "Sở Tài chính",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.03.H55",
      "name": "Sở Nông nghiệp và Phát triển nông thôn",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.04.H55",
      "name": "Sở Kế hoạch và Đầu tư",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.05.H55",
      "name": "Sở Khoa học và Công nghệ",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.06.H55",
      "name": "Sở Nội vụ",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.07.H55",
      "name": "Sở Công thương",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.08.H55",
      "name": "Sở Lao động Thương binh và Xã hội",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.09.H55",
      "name": "Sở Giáo dục và Đào tạo",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.10.H55",
      "name": "Sở Văn hóa Thể thao và Du lịch",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.11.H55",
      "name": "Sở Thông tin và Truyền thông",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.12.H55",
      "name": "Sở Tài nguyên và Môi trường",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.13.H55",
      "name": "Ban Quản lý các Khu công nghiệp",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.14.H55",
      "name": "Sở Tư pháp",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.15.H55",
      "name": "Sở Xây dựng",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.16.H55",
      "name": "Sở Y tế",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.17.H55",
      "name": "Sở Giao thông vận tải",
      "level": "department",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.31.H55",
      "name": "UBND thành phố Thái Nguyên",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.32.H55",
      "name": "UBND thành phố Sông Công",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.33.H55",
      "name": "UBND thành phố Phổ Yên",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.34.H55",
      "name": "UBND huyện Võ Nhai",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.35.H55",
      "name": "UBND huyện Đại Từ",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.36.H55",
      "name": "UBND huyện Phú Lương",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.37.H55",
      "name": "UBND huyện Định Hóa",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.38.H55",
      "name": "UBND huyện Đồng Hỷ",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.39.H55",
      "name": "UBND huyện Phú Bình",
      "level": "district",
      "parent": "000.00.00.H55"
    },
    {
      "code": "000.00.00.H29",
      "name": "UBND Thành phố Hồ Chí Minh",
      "level": "province",
      "parent": null
    },
    {
      "code": "000.00.19.H29",
      "name": "UBND quận Bình Tân",
      "level": "district",
      "parent": "000.00.00.H29"
    },
    {
      "code": "000.19.01.H29",
      "name": "UBND phường An Lạc",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.02.H29",
      "name": "UBND phường An Lạc A",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.03.H29",
      "name": "UBND phường Bình Hưng Hòa",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.04.H29",
      "name": "UBND phường Bình Hưng Hòa A",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.05.H29",
      "name": "UBND phường Bình Hưng Hòa B",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.06.H29",
      "name": "UBND phường Bình Trị Đông",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.07.H29",
      "name": "UBND phường Bình Trị Đông A",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.08.H29",
      "name": "UBND phường Bình Trị Đông B",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.09.H29",
      "name": "UBND phường Tân Tạo",
      "level": "commune",
      "parent": "000.00.19.H29"
    },
    {
      "code": "000.19.10.H29",
      "name": "UBND phường Tân Tạo A",
      "level": "commune",
      "parent": "000.00.19.H29"
    }
  ],
  "procedures": [
    {
      "code": "1.001193",
      "name": "Đăng ký khai sinh (liên thông đăng ký thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi)",
      "field": "Hộ tịch",
      "processing": {
        "workingDays": 3
      },
      "feeVnd": 0,
      "onlineLevel": "full",
      "paperResult": true,
      "linkedGroup": "birth",
      "apologyExtension": {
        "workingDays": 3
      }
    },
    {
      "code": "1.000656",
      "name": "Đăng ký khai tử (liên thông xoá thường trú, trợ cấp mai táng, tử tuất)",
      "field": "Hộ tịch",
      "processing": {
        "workingDays": 3
      },
      "feeVnd": 0,
      "onlineLevel": "full",
      "paperResult": true,
      "linkedGroup": "death"
    },
    {
      "code": "1.004222",
      "name": "Đăng ký thường trú",
      "field": "Đăng ký, quản lý cư trú",
      "processing": {
        "workingDays": 7
      },
      "feeVnd": 20000,
      "onlineLevel": "full",
      "paperResult": false,
      "linkedGroup": null
    },
    {
      "code": "1.004194",
      "name": "Xoá đăng ký thường trú",
      "field": "Đăng ký, quản lý cư trú",
      "processing": {
        "workingDays": 3
      },
      "feeVnd": 0,
      "onlineLevel": "full",
      "paperResult": false,
      "linkedGroup": null
    },
    {
      "code": "1.002734",
      "name": "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
      "field": "Bảo hiểm y tế",
      "processing": {
        "workingDays": 5
      },
      "feeVnd": 0,
      "onlineLevel": "full",
      "paperResult": false,
      "linkedGroup": null
    },
    {
      "code": "1.001776",
      "name": "Hỗ trợ chi phí mai táng",
      "field": "Bảo trợ xã hội",
      "processing": {
        "workingDays": 5
      },
      "feeVnd": 0,
      "onlineLevel": "partial",
      "paperResult": true,
      "linkedGroup": null
    },
    {
      "code": "1.002093",
      "name": "Giải quyết hưởng chế độ tử tuất",
      "field": "Bảo hiểm xã hội",
      "processing": {
        "workingDays": 12
      },
      "feeVnd": 0,
      "onlineLevel": "partial",
      "paperResult": true,
      "linkedGroup": null
    },
    {
      "code": "1.000894",
      "name": "Đăng ký kết hôn",
      "field": "Hộ tịch",
      "processing": {
        "sameDay": true
      },
      "feeVnd": 0,
      "onlineLevel": "partial",
      "paperResult": true,
      "linkedGroup": null
    },
    {
      "code": "2.000815",
      "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
      "field": "Chứng thực",
      "processing": {
        "workingHours": 2
      },
      "feeVnd": 2000,
      "onlineLevel": "partial",
      "paperResult": true,
      "linkedGroup": null
    },
    {
      "code": "2.000575",
      "name": "Đăng ký thành lập hộ kinh doanh",
      "field": "Thành lập và hoạt động của hộ kinh doanh",
      "processing": {
        "workingDays": 3
      },
      "feeVnd": 100000,
      "onlineLevel": "full",
      "paperResult": true,
      "linkedGroup": null
    },
    {
      "code": "1.004227",
      "name": "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
      "field": "Đất đai",
      "processing": {
        "workingDays": 10
      },
      "feeVnd": 50000,
      "onlineLevel": "partial",
      "paperResult": true,
      "linkedGroup": null,
      "apologyExtension": {
        "workingDays": 5
      }
    },
    {
      "code": "1.003005",
      "name": "Cấp bản sao trích lục hộ tịch",
      "field": "Hộ tịch",
      "processing": {
        "sameDay": true
      },
      "feeVnd": 8000,
      "onlineLevel": "full",
      "paperResult": true,
      "linkedGroup": null
    }
  ],
  "calendars": [
    {
      "year": 2024,
      "holidays": [
        "2024-01-01",
        "2024-02-08",
        "2024-02-09",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-04-18",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-09-02",
        "2024-09-03"
      ],
      "makeUpDays": [
        "2024-05-04"
      ]
    },
    {
      "year": 2025,
      "holidays": [
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-07",
        "2025-04-30",
        "2025-05-01",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02"
      ],
      "makeUpDays": [
        "2025-04-26"
      ]
    },
    {
      "year": 2026,
      "holidays": [
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-09-01",
        "2026-09-02"
      ],
      "makeUpDays": [
        "2026-01-10"
      ]
    }
  ]
}
"""#
}
